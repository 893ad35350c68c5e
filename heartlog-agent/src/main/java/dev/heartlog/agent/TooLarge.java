package dev.heartlog.agent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the HTTP transport sends when a server refuses a body as too large (413): heartbeats of
 * part of a batch, and for a record refused even alone, a short record in its place that says so
 * and begins as it did, at the same time, level and task, so that it is counted as stored.
 */
final class TooLarge {

  /** The metadata key of a record that stands for one refused as too large: its size as sent. */
  static final String REPORT_KEY = "heartlog_refused_bytes";
  private static final int KEPT_CHARS = 1_000;

  private TooLarge() {}

  static LogRecord report(LogRecord refused) {
    String text = refused.message();
    String start = text.length() > KEPT_CHARS ? text.substring(0, KEPT_CHARS) + "…" : text;
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put(REPORT_KEY, RecordJson.logsArray(List.of(refused)).length());
    Object logger = refused.metadata().get("logger");
    if (logger instanceof String name) {
      metadata.put("logger", name);
    }
    return new LogRecord(refused.timestamp(), refused.sequence(), refused.level(),
        "heartlog: the server refused this record as too large (HTTP 413) even alone; it began: " + start,
        refused.taskId(), metadata);
  }

  /** Whether the records are such a report alone: refused too, nothing smaller is left to send. */
  static boolean isReport(List<LogRecord> records) {
    return records.size() == 1 && records.get(0).metadata().containsKey(REPORT_KEY);
  }

  /** The heartbeat with these records and batch number in place of its own. */
  static Heartbeat withRecords(Heartbeat heartbeat, List<LogRecord> records, Long batchSequence) {
    return new Heartbeat(heartbeat.workerId(), heartbeat.sessionId(), batchSequence, heartbeat.status(),
        heartbeat.vramTotalMb(), heartbeat.vramUsedMb(), heartbeat.currentTaskId(), records, heartbeat.metadata());
  }
}
