package dev.heartlog.agent;

import java.lang.reflect.Array;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * One captured log record, as it travels to the store. Its message is text, or a {@link
 * MessagePattern} formatted when the record is written into a batch; {@link #message()} gives the
 * text either way.
 *
 * <p>Components: {@code timestamp}, when the worker made the record (UTC; written with
 * microseconds); {@code sequence}, the record's number within this agent session, starting at 1
 * (with the session id it orders records that share a timestamp); {@code level}; {@code message};
 * {@code taskId}, the task the record belongs to, or {@code null}; {@code metadata}: logger,
 * thread, method, line, exception text, MDC entries and the like, values strings, numbers (of
 * any of the JDK's types: written as JSON numbers by {@code RecordJson}), booleans or nested maps
 * of those; {@code estimatedBytes}, an estimate of the memory the record
 * holds, used to bound the buffer in bytes. The estimate is kept with the record because the
 * buffer needs it when the record is added, taken into a batch and released: counting a metadata
 * map three times, once inside the buffer's lock, was a seventh of a 6,000-worker FleetLoad's JVM
 * samples.
 *
 * <p>A class rather than a record only because the message has two forms; two records are equal
 * when their components are, the message compared as text.
 */
public final class LogRecord {

  /** Fixed cost of a record in the byte budget: object headers, timestamp, references. */
  static final int FIXED_OVERHEAD_BYTES = 96;

  private final Instant timestamp;
  private final long sequence;
  private final Level level;
  /** A {@code String}, or a {@link MessagePattern} formatted when it is written. */
  private final Object message;
  private final String taskId;
  private final Map<String, Object> metadata;
  private final long estimatedBytes;

  public LogRecord(Instant timestamp, long sequence, Level level, String message, String taskId,
      Map<String, Object> metadata, long estimatedBytes) {
    this(timestamp, sequence, level, (Object) message, taskId, metadata, estimatedBytes);
  }

  /**
   * A record whose memory estimate is worked out from its text and metadata: strings count two
   * bytes a character, as the JVM stores them at worst.
   */
  public LogRecord(Instant timestamp, long sequence, Level level, String message, String taskId,
      Map<String, Object> metadata) {
    this(timestamp, sequence, level, message, taskId, metadata, estimatedBytes(message, taskId, metadata));
  }

  /** A record whose message is a {@code String} or a {@link MessagePattern}; {@code null} is empty. */
  LogRecord(Instant timestamp, long sequence, Level level, Object message, String taskId,
      Map<String, Object> metadata, long estimatedBytes) {
    if (!(message == null || message instanceof String || message instanceof MessagePattern)) {
      throw new IllegalArgumentException("a message is a String or a MessagePattern: " + message);
    }
    this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
    this.sequence = sequence;
    this.level = Objects.requireNonNull(level, "level");
    this.message = message == null ? "" : message;
    this.taskId = taskId;
    this.metadata = metadata == null ? Map.of() : metadata;
    this.estimatedBytes = estimatedBytes;
  }

  public Instant timestamp() {
    return timestamp;
  }

  public long sequence() {
    return sequence;
  }

  public Level level() {
    return level;
  }

  /** The formatted message; a pattern's is formatted anew at each call. */
  public String message() {
    return message.toString();
  }

  /** The message's pattern when it is written unformatted, else {@code null}. */
  MessagePattern messagePattern() {
    return message instanceof MessagePattern pattern ? pattern : null;
  }

  public String taskId() {
    return taskId;
  }

  public Map<String, Object> metadata() {
    return metadata;
  }

  public long estimatedBytes() {
    return estimatedBytes;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LogRecord that
        && timestamp.equals(that.timestamp)
        && sequence == that.sequence
        && level == that.level
        && message().equals(that.message())
        && Objects.equals(taskId, that.taskId)
        && metadata.equals(that.metadata)
        && estimatedBytes == that.estimatedBytes;
  }

  @Override
  public int hashCode() {
    return Objects.hash(timestamp, sequence, level, message(), taskId, metadata, estimatedBytes);
  }

  @Override
  public String toString() {
    return "LogRecord[timestamp=" + timestamp + ", sequence=" + sequence + ", level=" + level
        + ", message=" + message() + ", taskId=" + taskId + ", metadata=" + metadata
        + ", estimatedBytes=" + estimatedBytes + "]";
  }

  static long estimatedBytes(String message, String taskId, Map<String, Object> metadata) {
    long bytes = FIXED_OVERHEAD_BYTES + 2L * (message == null ? 0 : message.length());
    if (taskId != null) {
      bytes += 2L * taskId.length();
    }
    return metadata == null ? bytes : bytes + estimatedBytes(metadata, 1);
  }

  static long estimatedBytes(MessagePattern message, String taskId, Map<String, Object> metadata) {
    return estimatedBytes("", taskId, metadata) + 2L * message.estimatedLength() + message.argumentsBytes();
  }

  /**
   * Counts strings by length and anything else at a flat rate, a list or an array by its size:
   * calling {@code toString()} of a caller's object on the logging thread could be slow or throw. Nesting deeper than the wire
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
    } else if (value instanceof Map<?, ?> nested && depth < MetadataJson.MAX_METADATA_DEPTH) {
      bytes += estimatedBytes(nested, depth + 1);
    } else if (value instanceof byte[] array) {
      bytes += 16 + array.length;   // held whole, though at most 24 KB of it is sent
    } else if (value instanceof Collection<?> || (value != null && value.getClass().isArray())) {
      // Its size, not its elements: up to the elements written, at the flat rate.
      int size = value instanceof Collection<?> collection ? collection.size() : Array.getLength(value);
      bytes += 32 + 32L * Math.min(size, MetadataJson.MAX_METADATA_ELEMENTS);
    } else if (value != null) {
      bytes += 32;
    }
    return bytes;
  }
}
