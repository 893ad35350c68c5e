package dev.heartlog.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of the store's results, shared by {@code heartlog ... --json} and the server's
 * query API so that both answer alike. Field names are snake_case, times ISO-8601 UTC.
 */
public final class StoreJson {

  private static final JsonFactory JSON = new JsonFactory();

  private StoreJson() {}

  /** One record as a one-line JSON object (the {@code logs --json} line format). */
  public static String record(StoredRecord record) {
    return write(json -> writeRecord(json, record));
  }

  /**
   * Writes a task's timeline to {@code out} as it goes: a timeline of 100,000 records is about
   * 35 MB of JSON, which as one string took several times that in memory (BENCHMARKS.md §3).
   * {@code failureKind} is the id of the kind of the error that explains its failure ({@link
   * TaskTimeline#explainingError}, {@link Store#errorKindId}), or null.
   */
  public static void task(TaskTimeline task, String failureKind, Writer out) {
    task(task, List.of(), failureKind, out);
  }

  /**
   * Writes a task's timeline to {@code out} with {@code between}, the records that belong where
   * it left records out, each written as it comes (read a page at a time, a timeline of any length
   * is written in the memory of one page). {@code records_left_out} then counts those still
   * missing, and {@code left_out_at} is where they belong.
   */
  public static void task(TaskTimeline task, Iterable<StoredRecord> between, String failureKind, Writer out) {
    write(out, json -> {
      json.writeStartObject();
      json.writeStringField("task_id", task.taskId());
      json.writeStringField("outcome", task.failure().isPresent() ? "failed" : "ok");
      field(json, "first_at", task.firstAt());
      field(json, "last_at", task.lastAt());
      json.writeNumberField("record_count", task.recordCount());
      json.writeObjectFieldStart("levels");
      for (var level : task.levels().entrySet()) {
        json.writeNumberField(level.getKey(), level.getValue());
      }
      json.writeEndObject();
      json.writeArrayFieldStart("workers");
      for (TaskSummary worker : task.workers()) {
        writeSummary(json, "worker_id", worker);
      }
      json.writeEndArray();
      json.writeArrayFieldStart("heartbeats");
      for (HeartbeatPoint point : task.heartbeats()) {
        writeHeartbeat(json, point);
      }
      json.writeEndArray();
      json.writeNumberField("heartbeat_count", task.heartbeatCount());
      json.writeFieldName("failure");
      if (task.failure().isPresent()) {
        writeRecord(json, task.failure().get());
      } else {
        json.writeNull();
      }
      // The error that explains the failure (TaskTimeline#explainingError), the whole task's: a
      // page that holds only the ends of a long task may not hold it.
      json.writeFieldName("explaining_error");
      if (task.explainingError().isPresent()) {
        writeRecord(json, task.explainingError().get());
      } else {
        json.writeNull();
      }
      json.writeStringField("failure_kind", failureKind);
      json.writeArrayFieldStart("records");
      List<StoredRecord> records = task.records();
      for (StoredRecord record : records.subList(0, task.leftOutAt())) {
        writeRecord(json, record);
      }
      long written = 0;
      for (StoredRecord record : between) {
        writeRecord(json, record);
        written++;
      }
      for (StoredRecord record : records.subList(task.leftOutAt(), records.size())) {
        writeRecord(json, record);
      }
      json.writeEndArray();
      long missing = Math.max(0, task.leftOut() - written);
      json.writeNumberField("records_left_out", missing);
      // As for a whole timeline, none left out belong at the end.
      json.writeNumberField("left_out_at", missing == 0 ? records.size() + written : task.leftOutAt() + written);
      json.writeEndObject();
    });
  }

  public static String worker(WorkerDetail worker) {
    return write(json -> {
      json.writeStartObject();
      json.writeFieldName("worker");
      writeHealth(json, worker.health());
      json.writeArrayFieldStart("recent_tasks");
      for (TaskSummary task : worker.recentTasks()) {
        writeSummary(json, "task_id", task);
      }
      json.writeEndArray();
      json.writeArrayFieldStart("records");
      for (StoredRecord record : worker.records()) {
        writeRecord(json, record);
      }
      json.writeEndArray();
      json.writeEndObject();
    });
  }

  /** The fleet's list of tasks ({@code heartlog tasks --json}, {@code GET /api/tasks}). */
  public static String tasks(List<RecentTask> tasks) {
    return write(json -> {
      json.writeStartArray();
      for (RecentTask task : tasks) {
        json.writeStartObject();
        json.writeStringField("task_id", task.id());
        json.writeStringField("outcome", task.failed() ? "failed" : "ok");
        json.writeArrayFieldStart("workers");
        for (String worker : task.workers()) {
          json.writeString(worker);
        }
        json.writeEndArray();
        field(json, "first_at", task.firstAt());
        field(json, "last_at", task.lastAt());
        json.writeNumberField("records", task.records());
        json.writeNumberField("errors", task.errors());
        json.writeStringField("failure", task.failure());
        json.writeStringField("failure_exception", task.failureException());
        json.writeEndObject();
      }
      json.writeEndArray();
    });
  }

  /**
   * The kinds of errors of a range: {@code {"since", "until", "error_count", "kind_count",
   * "kinds": [{"id", "errors", "workers", "tasks", "first_at", "last_at", "latest": {"message",
   * "exception", "task_id", "worker_id"}}]}}, the counts in all over kinds not listed too.
   */
  public static String errorKinds(ErrorKinds errors) {
    return errorKinds(errors, null);
  }

  /**
   * The kinds as {@link #errorKinds(ErrorKinds)} writes them, and where {@code before} is given,
   * the range before theirs ({@code "before": {"since", "until"}}) and each kind's errors then
   * ({@code "errors_before"}: 0 for a kind new since).
   */
  public static String errorKinds(ErrorKinds errors, ErrorKinds.Before before) {
    return write(json -> {
      json.writeStartObject();
      field(json, "since", errors.since());
      field(json, "until", errors.until());
      json.writeNumberField("error_count", errors.errorCount());
      json.writeNumberField("kind_count", errors.kindCount());
      if (before != null) {
        json.writeObjectFieldStart("before");
        field(json, "since", before.since());
        field(json, "until", before.until());
        json.writeEndObject();
      }
      json.writeArrayFieldStart("kinds");
      for (ErrorKind kind : errors.kinds()) {
        writeErrorKind(json, kind, before);
      }
      json.writeEndArray();
      json.writeEndObject();
    });
  }

  /**
   * One kind of error of a range and where it was made: {@code {"since", "until", "kind": {...},
   * "stack_trace", "worker_count", "workers": [...], "task_count", "tasks": [...], "span_seconds",
   * "errors_over_time": [...]}}: the stack trace of its latest error, the kind and each worker's
   * and task's part of it as {@link #errorKinds} writes a kind (a task's {@code latest.task_id}
   * is its id, {@code null} for the errors made outside a task), and its errors in each span of
   * {@code span_seconds} from {@code since}.
   */
  public static String errorKind(ErrorKindDetail detail) {
    return write(json -> {
      json.writeStartObject();
      field(json, "since", detail.since());
      field(json, "until", detail.until());
      json.writeFieldName("kind");
      writeErrorKind(json, detail.kind());
      json.writeStringField("stack_trace", detail.stackTrace());
      json.writeNumberField("worker_count", detail.workerCount());
      writeErrorKinds(json, "workers", detail.workers());
      json.writeNumberField("task_count", detail.taskCount());
      writeErrorKinds(json, "tasks", detail.tasks());
      json.writeNumberField("span_seconds", detail.spanWidth().getSeconds());
      json.writeArrayFieldStart("errors_over_time");
      for (long errors : detail.errorsOverTime()) {
        json.writeNumber(errors);
      }
      json.writeEndArray();
      json.writeEndObject();
    });
  }

  private static void writeErrorKinds(JsonGenerator json, String name, List<ErrorKind> kinds) throws IOException {
    json.writeArrayFieldStart(name);
    for (ErrorKind kind : kinds) {
      writeErrorKind(json, kind);
    }
    json.writeEndArray();
  }

  private static void writeErrorKind(JsonGenerator json, ErrorKind kind) throws IOException {
    writeErrorKind(json, kind, null);
  }

  private static void writeErrorKind(JsonGenerator json, ErrorKind kind, ErrorKinds.Before before) throws IOException {
    json.writeStartObject();
    json.writeStringField("id", kind.id());
    json.writeNumberField("errors", kind.errors());
    if (before != null) {
      json.writeNumberField("errors_before", before.of(kind.id()));
    }
    json.writeNumberField("workers", kind.workers());
    json.writeNumberField("tasks", kind.tasks());
    field(json, "first_at", kind.firstAt());
    field(json, "last_at", kind.lastAt());
    json.writeObjectFieldStart("latest");
    json.writeStringField("message", kind.message());
    json.writeStringField("exception", kind.exception());
    json.writeStringField("task_id", kind.taskId());
    json.writeStringField("worker_id", kind.workerId());
    json.writeEndObject();
    json.writeEndObject();
  }

  /**
   * How much a range's records take: {@code {"since", "until", "by", "record_count", "byte_count",
   * "part_count", "parts": [{"name", "records", "bytes"}], "store_bytes", "partitions",
   * "heartbeats_bytes"}}, a part's
   * name {@code null} for the records without a component, or outside a task.
   */
  public static String volume(RecordVolume volume) {
    return volume(volume, null);
  }

  /**
   * The volume as {@link #volume(RecordVolume)} writes it, and where {@code before} is given, the
   * range before its own ({@code "before": {"since", "until", "record_count", "byte_count"}}) and
   * each part's records then ({@code "records_before"}: 0 for a part new since).
   */
  public static String volume(RecordVolume volume, RecordVolume.Before before) {
    return write(json -> {
      json.writeStartObject();
      field(json, "since", volume.since());
      field(json, "until", volume.until());
      json.writeStringField("by", volume.by().label());
      json.writeNumberField("record_count", volume.records());
      json.writeNumberField("byte_count", volume.bytes());
      json.writeNumberField("part_count", volume.partCount());
      if (before != null) {
        json.writeObjectFieldStart("before");
        field(json, "since", before.since());
        field(json, "until", before.until());
        json.writeNumberField("record_count", before.records());
        json.writeNumberField("byte_count", before.bytes());
        json.writeEndObject();
      }
      json.writeArrayFieldStart("parts");
      for (RecordVolume.Part part : volume.parts()) {
        json.writeStartObject();
        json.writeStringField("name", part.name());
        json.writeNumberField("records", part.records());
        if (before != null) {
          json.writeNumberField("records_before", before.of(part));
        }
        json.writeNumberField("bytes", part.bytes());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeNumberField("store_bytes", volume.storeBytes());
      json.writeNumberField("partitions", volume.partitions());
      json.writeNumberField("heartbeats_bytes", volume.heartbeatBytes());
      json.writeEndObject();
    });
  }

  public static String heartbeats(List<HeartbeatPoint> points) {
    return write(json -> {
      json.writeStartArray();
      for (HeartbeatPoint point : points) {
        writeHeartbeat(json, point);
      }
      json.writeEndArray();
    });
  }

  /** The workers whose clocks are off the store's (worker id to skew in ms), in their order. */
  public static String clocks(Map<String, Long> skews) {
    return write(json -> {
      json.writeStartArray();
      for (Map.Entry<String, Long> skew : skews.entrySet()) {
        json.writeStartObject();
        json.writeStringField("worker_id", skew.getKey());
        json.writeNumberField("clock_skew_ms", skew.getValue());
        json.writeEndObject();
      }
      json.writeEndArray();
    });
  }

  public static String workers(List<WorkerHealth> workers) {
    return write(json -> {
      json.writeStartArray();
      for (WorkerHealth worker : workers) {
        writeHealth(json, worker);
      }
      json.writeEndArray();
    });
  }

  private static void writeRecord(JsonGenerator json, StoredRecord record) throws IOException {
    json.writeStartObject();
    json.writeNumberField("id", record.id());
    field(json, "timestamp", record.timestamp());
    field(json, "received_at", record.receivedAt());
    json.writeStringField("level", record.level());
    json.writeStringField("message", record.message());
    json.writeStringField("worker_id", record.workerId());
    json.writeStringField("task_id", record.taskId());
    json.writeStringField("session_id", record.sessionId());
    if (record.sequence() == null) {
      json.writeNullField("seq");
    } else {
      json.writeNumberField("seq", record.sequence());
    }
    json.writeFieldName("metadata");
    json.writeRawValue(record.metadataJson() == null ? "{}" : record.metadataJson());
    json.writeEndObject();
  }

  private static void writeHealth(JsonGenerator json, WorkerHealth worker) throws IOException {
    json.writeStartObject();
    json.writeStringField("worker_id", worker.id());
    json.writeStringField("health", worker.health());
    json.writeBooleanField("running", worker.running());   // one rule, not one for each client
    field(json, "last_heartbeat", worker.lastHeartbeat());
    number(json, "heartbeat_age_s", worker.heartbeatAgeSeconds());
    number(json, "vram_total_mb", worker.vramTotalMb() == null ? null : worker.vramTotalMb().longValue());
    number(json, "vram_used_mb", worker.vramUsedMb() == null ? null : worker.vramUsedMb().longValue());
    json.writeStringField("current_task_id", worker.currentTaskId());
    json.writeNumberField("errors_last_hour", worker.errorsLastHour());
    json.writeNumberField("warnings_last_hour", worker.warningsLastHour());
    number(json, "clock_skew_ms", worker.clockSkewMs());
    // Only where there is one: a fleet's answer would otherwise carry a null per worker.
    if (worker.workerRowError() != null) {
      json.writeStringField("worker_row_error", worker.workerRowError());
    }
    if (worker.sharedIdAt() != null) {
      field(json, "shared_id_at", worker.sharedIdAt());
    }
    if (worker.gpuProblem() != null) {
      json.writeStringField("gpu_problem", worker.gpuProblem());
    }
    json.writeEndObject();
  }

  private static void writeSummary(JsonGenerator json, String idField, TaskSummary summary) throws IOException {
    json.writeStartObject();
    json.writeStringField(idField, summary.id());
    field(json, "first_at", summary.firstAt());
    field(json, "last_at", summary.lastAt());
    json.writeNumberField("records", summary.records());
    json.writeNumberField("errors", summary.errors());
    field(json, "failed_at", summary.failedAt());
    if (summary.failure() != null) {
      json.writeStringField("failure", summary.failure());
      json.writeStringField("failure_exception", summary.failureException());
    }
    json.writeEndObject();
  }

  private static void writeHeartbeat(JsonGenerator json, HeartbeatPoint point) throws IOException {
    json.writeStartObject();
    json.writeStringField("worker_id", point.workerId());
    field(json, "received_at", point.receivedAt());
    json.writeStringField("status", point.status());
    number(json, "vram_total_mb", point.vramTotalMb() == null ? null : point.vramTotalMb().longValue());
    number(json, "vram_used_mb", point.vramUsedMb() == null ? null : point.vramUsedMb().longValue());
    json.writeNumberField("records", point.records());
    json.writeStringField("current_task_id", point.currentTaskId());
    json.writeEndObject();
  }

  private static void field(JsonGenerator json, String name, Instant value) throws IOException {
    if (value == null) {
      json.writeNullField(name);
    } else {
      json.writeStringField(name, value.toString());
    }
  }

  private static void number(JsonGenerator json, String name, Long value) throws IOException {
    if (value == null) {
      json.writeNullField(name);
    } else {
      json.writeNumberField(name, value);
    }
  }

  @FunctionalInterface
  private interface JsonWriting {
    void writeTo(JsonGenerator json) throws IOException;
  }

  private static String write(JsonWriting writing) {
    Writer out = new StringWriter();
    write(out, writing);
    return out.toString();
  }

  /** Writes to {@code out} and flushes it, leaving it open. */
  private static void write(Writer out, JsonWriting writing) {
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      writing.writeTo(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
