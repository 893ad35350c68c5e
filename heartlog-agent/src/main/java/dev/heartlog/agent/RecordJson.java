package dev.heartlog.agent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;

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
  /** Longest metadata value kept (exception text included). */
  static final int MAX_VALUE_CHARS = 32 * 1024;
  /** Deepest metadata nesting kept; deeper values are replaced by a marker. */
  static final int MAX_METADATA_DEPTH = 8;
  /** Most keys kept in one metadata map. */
  static final int MAX_METADATA_KEYS = 64;
  /** Most elements kept of one metadata list or array. */
  static final int MAX_METADATA_ELEMENTS = 1_000;
  /** Most metadata entries written in {@code jsonb}'s key order; larger maps keep their own. */
  static final int MAX_SORTED_KEYS = 16;
  /**
   * Most digits of a {@code BigDecimal} written as a number, before the point and after; a
   * longer one is written as text (see {@link #fitsJsonb}).
   */
  static final int MAX_EXACT_NUMBER_DIGITS = 1_000;
  /** The same for a {@code BigInteger}, in bits: about 1,000 digits. */
  static final int MAX_EXACT_NUMBER_BITS = 3_300;

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

  static String object(Map<String, Object> map) {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      writeMap(json, map, 1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
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
    writeMap(json, record.metadata(), 1);
    json.writeFieldName(TIMESTAMP);
    if (WireTimestamp.formatInto(record.timestamp(), out.timestamp)) {
      json.writeString(out.timestamp, 0, WireTimestamp.CHARS);
    } else {
      json.writeString(WireTimestamp.format(record.timestamp()));
    }
    json.writeEndObject();
  }

  private static void writeMap(JsonGenerator json, Map<?, ?> map, int depth) throws IOException {
    json.writeStartObject();
    if (map instanceof RecordMetadata flat) {
      if (flat.size() <= MAX_SORTED_KEYS) {
        writeInJsonbOrder(json, flat, depth);
      } else {
        for (int i = 0; i < Math.min(flat.size(), MAX_METADATA_KEYS); i++) {
          writeEntry(json, flat.keyAt(i), flat.valueAt(i), depth);
        }
      }
    } else {
      int keys = 0;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (++keys > MAX_METADATA_KEYS) {
          break;
        }
        writeEntry(json, entry.getKey(), entry.getValue(), depth);
      }
    }
    if (map.size() > MAX_METADATA_KEYS) {
      json.writeNumberField("heartlog_keys_dropped", map.size() - MAX_METADATA_KEYS);
    }
    json.writeEndObject();
  }

  /**
   * Most records' metadata (an appender's few entries), read in place and written in the order
   * {@code jsonb} stores keys, like a record's own fields (see {@link #writeRecord}): each step
   * writes the smallest key not yet written, so nothing is allocated; keys of a {@link
   * RecordMetadata} are unique, so none is skipped.
   */
  private static void writeInJsonbOrder(JsonGenerator json, RecordMetadata metadata, int depth) throws IOException {
    int size = metadata.size();
    int previous = -1;
    for (int written = 0; written < size; written++) {
      int next = -1;
      for (int i = 0; i < size; i++) {
        String key = metadata.keyAt(i);
        if ((previous < 0 || jsonbKeyOrder(key, metadata.keyAt(previous)) > 0)
            && (next < 0 || jsonbKeyOrder(key, metadata.keyAt(next)) < 0)) {
          next = i;
        }
      }
      writeEntry(json, metadata.keyAt(next), metadata.valueAt(next), depth);
      previous = next;
    }
  }

  /**
   * jsonb's order of object keys: shorter first, then by bytes. For ASCII keys, as nearly all
   * are, characters compare as their bytes do; for others the order may differ from jsonb's,
   * which costs the store a sort and nothing else.
   */
  private static int jsonbKeyOrder(String a, String b) {
    return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
  }

  private static void writeEntry(JsonGenerator json, Object key, Object value, int depth) throws IOException {
    json.writeFieldName(clean(describe(key), 256));
    writeValue(json, value, depth);
  }

  private static void writeValue(JsonGenerator json, Object value, int depth) throws IOException {
    if (value == null) {
      json.writeNull();
    } else if (value instanceof Boolean b) {
      json.writeBoolean(b);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
        || value instanceof AtomicInteger || value instanceof AtomicLong || value instanceof LongAdder) {
      json.writeNumber(((Number) value).longValue());
    } else if (value instanceof Double d && Double.isFinite(d)) {
      json.writeNumber(d);
    } else if (value instanceof Float f && Float.isFinite(f)) {
      json.writeNumber(f);   // as its own shortest text: 0.1f is 0.1, not 0.10000000149011612
    } else if (value instanceof BigInteger big && big.bitLength() <= MAX_EXACT_NUMBER_BITS) {
      json.writeNumber(big);
    } else if (value instanceof BigDecimal decimal && fitsJsonb(decimal)) {
      json.writeNumber(decimal);
    } else if (value instanceof Map<?, ?> || value instanceof Collection<?> || value.getClass().isArray()) {
      if (depth >= MAX_METADATA_DEPTH) {
        json.writeString("[heartlog: nested deeper than " + MAX_METADATA_DEPTH + " levels]");
      } else if (value instanceof Map<?, ?> nested) {
        writeMap(json, nested, depth + 1);
      } else if (value instanceof Collection<?> collection) {
        writeArray(json, collection, collection.size(), depth);
      } else {   // an array, of objects or of primitives: its elements, not "[I@1b6d3586"
        int length = Array.getLength(value);
        writeArray(json, () -> IntStream.range(0, length).mapToObj(i -> Array.get(value, i)).iterator(), length, depth);
      }
    } else {
      json.writeString(clean(describe(value), MAX_VALUE_CHARS));
    }
  }

  /**
   * The first {@value #MAX_METADATA_ELEMENTS} elements, then, where there were more, a text that
   * says how many more.
   */
  private static void writeArray(JsonGenerator json, Iterable<?> elements, int size, int depth) throws IOException {
    json.writeStartArray();
    int written = 0;
    for (Object element : elements) {
      if (written == MAX_METADATA_ELEMENTS) {
        json.writeString("[heartlog: " + (size - written) + " more elements dropped]");
        break;
      }
      writeValue(json, element, depth + 1);
      written++;
    }
    json.writeEndArray();
  }

  /**
   * Whether jsonb takes this decimal as a number, with room: it refuses more than 131,072 digits
   * before the point or 16,383 after, and one such value would fail the whole heartbeat's logs.
   * Beyond a thousand digits either side the value is written as text.
   */
  private static boolean fitsJsonb(BigDecimal decimal) {
    return decimal.precision() - decimal.scale() <= MAX_EXACT_NUMBER_DIGITS && decimal.scale() <= MAX_EXACT_NUMBER_DIGITS;
  }

  /** A value's text; a {@code toString()} that throws must not make its batch unsendable. */
  private static String describe(Object value) {
    try {
      return String.valueOf(value);
    } catch (RuntimeException e) {
      return "[heartlog: toString() of " + value.getClass().getName() + " failed: " + e + "]";
    }
  }

  /** @see StorableText#clean(String, int) */
  static String clean(String text, int maxChars) {
    return StorableText.clean(text, maxChars);
  }
}
