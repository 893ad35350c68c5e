package dev.heartlog.agent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.List;

/**
 * Writes records in the wire format of {@code logs_param}, cleaning on the way what PostgreSQL
 * cannot store: one NUL character or broken surrogate pair anywhere in {@code logs_param} fails
 * the whole call, heartbeat included (SQLSTATE 22P05).
 *
 * <p>Runs on the heartbeat thread, so the cost of cleaning never lands on a thread that logs.
 */
final class RecordJson {

  /** Longest message kept; the rest is cut and the cut is said in the message. */
  static final int MAX_MESSAGE_CHARS = 64 * 1024;
  private static final JsonFactory JSON = new JsonFactory();
  // A record's field names and level names, quoted and escaped once: Jackson copies them as they
  // are instead of checking every character of every name again for each record.
  private static final SerializedString TIMESTAMP = new SerializedString("timestamp");
  private static final SerializedString LEVEL = new SerializedString("level");
  private static final SerializedString MESSAGE = new SerializedString("message");
  private static final SerializedString TASK_ID = new SerializedString("task_id");
  private static final SerializedString SEQ = new SerializedString("seq");
  private static final SerializedString METADATA = new SerializedString("metadata");
  private static final SerializedString[] LEVEL_NAMES = Arrays.stream(Level.values())
      .map(level -> new SerializedString(level.name()))
      .toArray(SerializedString[]::new);

  private RecordJson() {}

  static String logsArray(List<LogRecord> records) {
    TextBuffer out = TEXT.get();
    out.length = 0;
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartArray();
      for (LogRecord record : records) {
        writeRecord(json, record, out);
      }
      json.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String logs = new String(out.chars, 0, out.length);
    if (out.chars.length > MAX_KEPT_TEXT_CHARS) {
      TEXT.remove();
    } else {
      out.shrinkMessage();
    }
    return logs;
  }

  /**
   * A batch's text buffer is kept per heartbeat thread unless a batch grew it past this: room for
   * the usual batch of 1,000 records (~350,000 characters) after the array's doublings, at most
   * 2 MiB per thread (two bytes a character). The rare larger batch (up to {@code maxBatchBytes})
   * gets its own.
   */
  private static final int MAX_KEPT_TEXT_CHARS = 1024 * 1024;
  /** A message's builder and characters are kept per heartbeat thread up to this size. */
  private static final int MAX_KEPT_MESSAGE_CHARS = 8 * 1024;
  private static final ThreadLocal<TextBuffer> TEXT = ThreadLocal.withInitial(TextBuffer::new);

  /**
   * Where a batch's JSON is written: a character array reused from batch to batch on the same
   * thread, where a new {@code StringWriter} grew (and copied) its buffer for every batch. Not a
   * {@code StringBuilder}: appending Jackson's characters to one narrows them to bytes one at a
   * time (a quarter of BatchJsonBenchmark's samples), while {@code new String(char[], ..)} does
   * it once for the whole batch, with the JDK's vectorized compression. An unsynchronized
   * {@code Writer}; closing it does nothing.
   */
  private static final class TextBuffer extends Writer {
    char[] chars = new char[64 * 1024];
    int length;
    final char[] timestamp = new char[WireTimestamp.CHARS];
    /** Where a {@link MessagePattern} is formatted, and its characters for Jackson. */
    StringBuilder message = new StringBuilder(256);
    char[] messageChars = new char[256];

    /** Formats the pattern into {@link #messageChars}, returning its length. */
    int format(MessagePattern pattern) {
      message.setLength(0);
      pattern.formatTo(message);
      int formatted = message.length();
      if (messageChars.length < formatted) {
        messageChars = new char[Math.max(formatted, 2 * messageChars.length)];
      }
      message.getChars(0, formatted, messageChars, 0);
      return formatted;
    }

    /** Lets go of a message's builder and characters that a long message grew. */
    void shrinkMessage() {
      if (message.capacity() > MAX_KEPT_MESSAGE_CHARS) {
        message = new StringBuilder(256);
      }
      if (messageChars.length > MAX_KEPT_MESSAGE_CHARS) {
        messageChars = new char[256];
      }
    }

    @Override
    public void write(char[] source, int offset, int count) {
      System.arraycopy(source, offset, room(count), length, count);
      length += count;
    }

    @Override
    public void write(String string, int offset, int count) {
      string.getChars(offset, offset + count, room(count), length);
      length += count;
    }

    @Override
    public void write(int c) {
      room(1)[length++] = (char) c;
    }

    /** The array, grown (doubling) to hold {@code count} more characters. */
    private char[] room(int count) {
      if (length + count > chars.length) {
        chars = Arrays.copyOf(chars, Math.max(chars.length * 2, length + count));
      }
      return chars;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  /**
   * Cuts a message longer than {@link #MAX_MESSAGE_CHARS} when it is captured, so one huge
   * message neither crowds the buffer out nor travels at all. Costs a length check otherwise.
   */
  static String capMessage(String message) {
    return message != null && message.length() > MAX_MESSAGE_CHARS ? clean(message, MAX_MESSAGE_CHARS) : message;
  }

  /**
   * Writes a record's fields in the order {@code jsonb} stores an object's keys (shorter keys
   * first, then byte order): PostgreSQL sorts the keys of every object it parses into
   * {@code jsonb}, by insertion sort for so few keys, so keys that arrive in its order cost one
   * comparison each and no moves. In any other order the sort was nearly 5% of the store's CPU
   * samples during ingest ({@code perf}, BENCHMARKS.md §2). JSON objects have no order, so
   * readers of the wire format are not affected.
   */
  private static void writeRecord(JsonGenerator json, LogRecord record, TextBuffer out) throws IOException {
    json.writeStartObject();
    json.writeFieldName(SEQ);
    json.writeNumber(record.sequence());
    json.writeFieldName(LEVEL);
    json.writeString(LEVEL_NAMES[record.level().ordinal()]);
    json.writeFieldName(MESSAGE);
    MessagePattern pattern = record.messagePattern();
    if (pattern == null) {
      json.writeString(clean(record.message(), MAX_MESSAGE_CHARS));
    } else {
      // Formatted here, into the thread's characters: no String per message.
      int length = out.format(pattern);
      if (StorableText.isStorable(out.messageChars, 0, length, MAX_MESSAGE_CHARS)) {
        json.writeString(out.messageChars, 0, length);
      } else {
        json.writeString(clean(new String(out.messageChars, 0, length), MAX_MESSAGE_CHARS));
      }
    }
    json.writeFieldName(TASK_ID);
    if (record.taskId() == null) {
      json.writeNull();
    } else {
      json.writeString(clean(record.taskId(), 256));
    }
    json.writeFieldName(METADATA);
    MetadataJson.write(json, record.metadata());
    json.writeFieldName(TIMESTAMP);
    if (WireTimestamp.formatInto(record.timestamp(), out.timestamp)) {
      json.writeString(out.timestamp, 0, WireTimestamp.CHARS);
    } else {
      json.writeString(WireTimestamp.format(record.timestamp()));
    }
    json.writeEndObject();
  }

  /** @see StorableText#clean(String, int) */
  static String clean(String text, int maxChars) {
    return StorableText.clean(text, maxChars);
  }
}
