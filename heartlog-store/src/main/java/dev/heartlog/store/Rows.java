package dev.heartlog.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/** The store's records read from the rows its queries return, by the queries' column names. */
final class Rows {

  private Rows() {}

  static StoredRecord storedRecord(ResultSet rs) throws SQLException {
    return new StoredRecord(
        rs.getLong("id"),
        instant(rs, "timestamp"),
        instant(rs, "created_at"),
        rs.getString("level"),
        rs.getString("message"),
        rs.getString("source_id"),
        rs.getString("task_id"),
        rs.getString("metadata"),
        rs.getString("exception"),
        rs.getString("session_id"),
        longOrNull(rs, "seq"));
  }

  static TaskSummary taskSummary(ResultSet rs) throws SQLException {
    return new TaskSummary(
        rs.getString(1), instant(rs, "first_at"), instant(rs, "last_at"), rs.getLong("records"), rs.getLong("errors"),
        instant(rs, "failed_at"));
  }

  /** A row of worker-tasks.sql: a task's summary with the time of its last error with an exception. */
  static TaskSummary workerTask(ResultSet rs) throws SQLException {
    return new TaskSummary(
        rs.getString("task_id"), instant(rs, "first_at"), instant(rs, "last_at"), rs.getLong("records"),
        rs.getLong("errors"), instant(rs, "failed_at"), instant(rs, "traced_at"), null, null);
  }

  static RecentTask recentTask(ResultSet rs) throws SQLException {
    return new RecentTask(
        rs.getString("task_id"),
        List.of((String[]) rs.getArray("workers").getArray()),
        instant(rs, "first_at"),
        instant(rs, "last_at"),
        rs.getLong("records"),
        rs.getLong("errors"),
        rs.getString("failure"),
        rs.getString("failure_exception"));
  }

  /** A row of error-kinds.sql: one kind, with the range's counts of kinds and errors in all. */
  record ErrorKindRow(ErrorKind kind, long kindCount, long errorCount) {}

  /** A part of record-volume.sql's answer, with the counts in all every row carries. */
  record VolumeRow(RecordVolume.Part part, long partCount, long recordCount, long byteCount) {}

  static VolumeRow volumeRow(ResultSet rs) throws SQLException {
    return new VolumeRow(new RecordVolume.Part(rs.getString("part"), rs.getLong("records"), rs.getLong("bytes")),
        rs.getLong("part_count"), rs.getLong("record_count"), rs.getLong("byte_count"));
  }

  static ErrorKindRow errorKindRow(ResultSet rs) throws SQLException {
    return new ErrorKindRow(errorKind(rs), rs.getLong("kind_count"), rs.getLong("error_count"));
  }

  /**
   * A row of error-kind.sql: the kind, or a worker's, a task's or a span of time's part of it (the
   * span's number), with how many such parts there are; the kind's with its latest error's stack
   * trace.
   */
  record ErrorKindPartRow(String part, int span, ErrorKind kind, long partCount, String stackTrace) {}

  static ErrorKindPartRow errorKindPartRow(ResultSet rs) throws SQLException {
    return new ErrorKindPartRow(rs.getString("part"), rs.getInt("bucket"), errorKind(rs), rs.getLong("part_count"),
        rs.getString("stack_trace"));
  }

  private static ErrorKind errorKind(ResultSet rs) throws SQLException {
    return new ErrorKind(
        rs.getString("kind_id"),
        rs.getLong("errors"),
        rs.getLong("workers"),
        rs.getLong("tasks"),
        instant(rs, "first_at"),
        instant(rs, "last_at"),
        rs.getString("message"),
        rs.getString("exception_name"),
        rs.getString("task_id"),
        rs.getString("source_id"));
  }

  static HeartbeatPoint heartbeatPoint(ResultSet rs) throws SQLException {
    return new HeartbeatPoint(
        rs.getString("worker_id"),
        instant(rs, "received_at"),
        rs.getString("status"),
        integer(rs, "vram_total_mb"),
        integer(rs, "vram_used_mb"),
        rs.getInt("records"),
        rs.getString("current_task_id"));
  }

  static WorkerHealth workerHealth(ResultSet rs) throws SQLException {
    return new WorkerHealth(
        rs.getString("id"),
        rs.getString("health"),
        instant(rs, "last_heartbeat"),
        longOrNull(rs, "heartbeat_age_s"),
        integer(rs, "vram_total_mb"),
        integer(rs, "vram_used_mb"),
        rs.getString("current_task_id"),
        rs.getLong("errors_last_hour"),
        rs.getLong("warnings_last_hour"),
        longOrNull(rs, "clock_skew_ms"),
        rs.getString("worker_row_error"),
        instant(rs, "shared_id_at"),
        rs.getString("gpu_problem"));
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp timestamp = rs.getTimestamp(column);
    return timestamp == null ? null : timestamp.toInstant();
  }

  private static Integer integer(ResultSet rs, String column) throws SQLException {
    int value = rs.getInt(column);
    return rs.wasNull() ? null : value;
  }

  private static Long longOrNull(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }
}
