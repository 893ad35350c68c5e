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
 */
public record LogRecord(
    Instant timestamp,
    long sequence,
    Level level,
    String message,
    String taskId,
    Map<String, Object> metadata) {

  /** Fixed cost of a record in the byte budget: object headers, timestamp, references. */
  static final int FIXED_OVERHEAD_BYTES = 96;

  public LogRecord {
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(level, "level");
    message = message == null ? "" : message;
    metadata = metadata == null ? Map.of() : metadata;
  }

  /**
   * An estimate of the memory the record holds, used to bound the buffer in bytes. Strings count
   * two bytes a character, as the JVM stores them at worst.
   */
  public long estimatedBytes() {
    long bytes = FIXED_OVERHEAD_BYTES + 2L * message.length();
    if (taskId != null) {
      bytes += 2L * taskId.length();
    }
    return bytes + estimatedBytes(metadata);
  }

  private static long estimatedBytes(Map<?, ?> map) {
    long bytes = 0;
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      bytes += 32 + 2L * String.valueOf(entry.getKey()).length();
      Object value = entry.getValue();
      if (value instanceof Map<?, ?> nested) {
        bytes += estimatedBytes(nested);
      } else if (value != null) {
        bytes += 2L * value.toString().length();
      }
    }
    return bytes;
  }
}
