package dev.heartlog.agent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.Map;

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

  private static final JsonFactory JSON = new JsonFactory();
  private static final DateTimeFormatter MICROS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private RecordJson() {}

  static String logsArray(List<LogRecord> records) {
    StringWriter out = new StringWriter(records.size() * 256 + 2);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartArray();
      for (LogRecord record : records) {
        writeRecord(json, record);
      }
      json.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
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

  /** The timestamp as sent: ISO-8601 in UTC with exactly six fraction digits. */
  static String timestamp(Instant instant) {
    return MICROS.format(instant);
  }

  private static void writeRecord(JsonGenerator json, LogRecord record) throws IOException {
    json.writeStartObject();
    json.writeStringField("timestamp", timestamp(record.timestamp()));
    json.writeStringField("level", record.level().name());
    json.writeStringField("message", clean(record.message(), MAX_MESSAGE_CHARS));
    json.writeFieldName("task_id");
    if (record.taskId() == null) {
      json.writeNull();
    } else {
      json.writeString(clean(record.taskId(), 256));
    }
    json.writeNumberField("seq", record.sequence());
    json.writeFieldName("metadata");
    writeMap(json, record.metadata(), 1);
    json.writeEndObject();
  }

  private static void writeMap(JsonGenerator json, Map<?, ?> map, int depth) throws IOException {
    json.writeStartObject();
    int keys = 0;
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (++keys > MAX_METADATA_KEYS) {
        json.writeNumberField("heartlog_keys_dropped", map.size() - MAX_METADATA_KEYS);
        break;
      }
      json.writeFieldName(clean(String.valueOf(entry.getKey()), 256));
      writeValue(json, entry.getValue(), depth);
    }
    json.writeEndObject();
  }

  private static void writeValue(JsonGenerator json, Object value, int depth) throws IOException {
    if (value == null) {
      json.writeNull();
    } else if (value instanceof Boolean b) {
      json.writeBoolean(b);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      json.writeNumber(((Number) value).longValue());
    } else if (value instanceof Double d && Double.isFinite(d)) {
      json.writeNumber(d);
    } else if (value instanceof Map<?, ?> || value instanceof Collection<?>) {
      if (depth >= MAX_METADATA_DEPTH) {
        json.writeString("[heartlog: nested deeper than " + MAX_METADATA_DEPTH + " levels]");
      } else if (value instanceof Map<?, ?> nested) {
        writeMap(json, nested, depth + 1);
      } else {
        json.writeStartArray();
        for (Object element : (Collection<?>) value) {
          writeValue(json, element, depth + 1);
        }
        json.writeEndArray();
      }
    } else {
      json.writeString(clean(value.toString(), MAX_VALUE_CHARS));
    }
  }

  /**
   * Replaces NUL and unpaired surrogates with U+FFFD and cuts text longer than {@code maxChars},
   * saying how much was cut. Returns the same string when nothing needs cleaning (the common
   * case), so cleaning costs one scan.
   */
  static String clean(String text, int maxChars) {
    String kept = text;
    int cut = 0;
    if (kept.length() > maxChars) {
      int end = maxChars;
      if (Character.isHighSurrogate(kept.charAt(end - 1))) {
        end--;
      }
      cut = kept.length() - end;
      kept = kept.substring(0, end);
    }
    int bad = firstUnstorable(kept);
    if (bad >= 0) {
      kept = replaceUnstorable(kept, bad);
    }
    return cut == 0 ? kept : kept + " … [heartlog truncated " + cut + " characters]";
  }

  private static int firstUnstorable(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\u0000') {
        return i;
      }
      if (Character.isSurrogate(c)) {
        boolean paired =
            Character.isHighSurrogate(c)
                && i + 1 < text.length()
                && Character.isLowSurrogate(text.charAt(i + 1));
        if (!paired) {
          return i;
        }
        i++;
      }
    }
    return -1;
  }

  private static String replaceUnstorable(String text, int from) {
    StringBuilder out = new StringBuilder(text.length()).append(text, 0, from);
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\u0000') {
        out.append('\uFFFD');
      } else if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        out.append('\uFFFD');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
