package dev.heartlog.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Everything the store knows about one task. Its records are all of them, or for a long task
 * only some, with the others counted: {@link #leftOut} records belong at {@link #leftOutAt}.
 *
 * @param taskId the task
 * @param records its records in order (worker time, then sequence), all or some
 * @param leftOutAt where in {@code records} those left out belong: before the record at this index
 * @param leftOut how many of the task's records are not in {@code records}
 * @param lastError the last ERROR or CRITICAL record of the whole task, or null for none
 * @param lastTracedError the last ERROR or CRITICAL record of the whole task that has a stack
 *     trace, or null for none: where {@code lastError} has none, the error that explains it,
 *     though a long task's may be one of those left out
 * @param levels how many records of each level the whole task has, least severe first
 * @param workers the workers that ran it, each with its share of the records
 * @param heartbeats the heartbeats sent while it was current, with VRAM: all of them, or past
 *     1,000, of each worker's in each of 1,000 spans of them, the one of the most VRAM used
 * @param heartbeatCount how many heartbeats were sent while it was current
 */
public record TaskTimeline(
    String taskId,
    List<StoredRecord> records,
    int leftOutAt,
    long leftOut,
    StoredRecord lastError,
    StoredRecord lastTracedError,
    Map<String, Long> levels,
    List<TaskSummary> workers,
    List<HeartbeatPoint> heartbeats,
    long heartbeatCount) {

  /** A timeline that holds every record of the task. */
  static TaskTimeline whole(String taskId, List<StoredRecord> records, TaskHeartbeats heartbeats) {
    TaskCounts counts = TaskCounts.of(records);
    StoredRecord lastError = last(records, StoredRecord::isError);
    StoredRecord lastTracedError = last(records, TaskTimeline::isTracedError);
    return new TaskTimeline(taskId, records, records.size(), 0, lastError, lastTracedError, counts.levels(),
        counts.workers(), heartbeats.points(), heartbeats.sent());
  }

  /** The last of {@code records} that {@code wanted} keeps, or null for none. */
  static StoredRecord last(List<StoredRecord> records, Predicate<StoredRecord> wanted) {
    for (int i = records.size() - 1; i >= 0; i--) {
      if (wanted.test(records.get(i))) {
        return records.get(i);
      }
    }
    return null;
  }

  /** Whether a record is an error with a stack trace: one that can explain a failure. */
  static boolean isTracedError(StoredRecord record) {
    return record.isError() && record.hasStackTrace();
  }

  /** The last ERROR or CRITICAL record: why the task failed, if it did. */
  public Optional<StoredRecord> failure() {
    return Optional.ofNullable(lastError);
  }

  /**
   * The error that says why the task failed: the failure where it has a stack trace, else the
   * last error before it, of the whole task, that has one (a worker's closing {@code Task failed}
   * after the {@code logger.exception} that logged why), else the failure; empty for a task that
   * did not fail.
   */
  public Optional<StoredRecord> explainingError() {
    if (lastError == null || lastTracedError == null) {
      return Optional.ofNullable(lastError);
    }
    return Optional.of(lastTracedError);
  }

  /** How many records the task has, those left out included. */
  public long recordCount() {
    return records.size() + leftOut;
  }

  /** When the task's first record was made; null for a task known only by its heartbeats. */
  public Instant firstAt() {
    return workers.stream().map(TaskSummary::firstAt).min(Instant::compareTo).orElse(null);
  }

  /** When the task's last record was made; null for a task known only by its heartbeats. */
  public Instant lastAt() {
    return workers.stream().map(TaskSummary::lastAt).max(Instant::compareTo).orElse(null);
  }

  public boolean isEmpty() {
    return records.isEmpty() && leftOut == 0 && heartbeats.isEmpty();
  }
}
