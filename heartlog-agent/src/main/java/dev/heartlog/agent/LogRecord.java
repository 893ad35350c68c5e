package dev.heartlog.agent;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One captured log record, as it travels to the store.
 *
 * @param timestamp when the worker made the record (UTC; written with microseconds)
 * @param sequence the record's number within this agent session, starting at 1; with the session
 *     id it orders records that share a timestamp
 * @param level the record's level
 * @param message the formatted message
 * @param taskId the task the record belongs to, or {@code null}
 * @param metadata logger, thread, method, line, exception text, MDC entries and the like; values
 *     are strings, numbers, booleans or nested maps of those
 * @param estimatedBytes an estimate of the memory the record holds, used to bound the buffer in
 *     bytes; the other constructor works it out. Kept with the record because the buffer needs it
 *     when the record is added, taken into a batch and released: counting a metadata map three
 *     times, once inside the buffer's lock, was a seventh of a 6,000-worker FleetLoad's JVM samples
 */
public record LogRecord(
    Instant timestamp,
    long sequence,
    Level level,
    String message,
    String taskId,
    Map<String, Object> metadata,
    long estimatedBytes) {

  /** Fixed cost of a record in the byte budget: object headers, timestamp, references. */
  static final int FIXED_OVERHEAD_BYTES = 96;

  public LogRecord {
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(level, "level");
    message = message == null ? "" : message;
    metadata = metadata == null ? Map.of() : metadata;
  }

  /**
   * A record whose memory estimate is worked out from its text and metadata: strings count two
   * bytes a character, as the JVM stores them at worst.
   */
  public LogRecord(Instant timestamp, long sequence, Level level, String message, String taskId,
      Map<String, Object> metadata) {
    this(timestamp, sequence, level, message, taskId, metadata, estimatedBytes(message, taskId, metadata));
  }

  static long estimatedBytes(String message, String taskId, Map<String, Object> metadata) {
    long bytes = FIXED_OVERHEAD_BYTES + 2L * (message == null ? 0 : message.length());
    if (taskId != null) {
      bytes += 2L * taskId.length();
    }
    return metadata == null ? bytes : bytes + estimatedBytes(metadata, 1);
  }

  /**
   * Counts strings by length and anything else at a flat rate: calling {@code toString()} of a
   * caller's object on the logging thread could be slow or throw. Nesting deeper than the wire
   * format keeps is not counted (and not sent), so a self-containing map cannot loop.
   */
  private static long estimatedBytes(Map<?, ?> map, int depth) {
    long bytes = 0;
    if (map instanceof RecordMetadata flat) {
      for (int i = 0; i < flat.size(); i++) {
        bytes += estimatedBytes(flat.keyAt(i), flat.valueAt(i), depth);
      }
      return bytes;
    }
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      bytes += estimatedBytes(entry.getKey(), entry.getValue(), depth);
    }
    return bytes;
  }

  private static long estimatedBytes(Object key, Object value, int depth) {
    long bytes = 32;
    if (key instanceof String text) {
      bytes += 2L * text.length();
    }
    if (value instanceof String text) {
      bytes += 2L * text.length();
    } else if (value instanceof Map<?, ?> nested && depth < RecordJson.MAX_METADATA_DEPTH) {
      bytes += estimatedBytes(nested, depth + 1);
    } else if (value != null) {
      bytes += 32;
    }
    return bytes;
  }
}
