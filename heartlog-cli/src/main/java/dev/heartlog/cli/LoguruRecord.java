package dev.heartlog.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A line of loguru's {@code serialize=True}: {@code {"text": "<the formatted line, and its
 * traceback>", "record": {...}}}, with the record's level, message and time nested in objects of
 * their own. Its fields are laid out as other structured loggers name them, for {@link
 * StructuredLine} to read: the level's name, the message, the time's timestamp, the logger's name,
 * the exception (the traceback loguru formatted into its text: the record holds only its type and
 * value), what was bound ({@code extra}, a {@code task_id} among it), and where it was logged.
 * The rest of loguru's record (its icon, the elapsed time, the module) is left out.
 */
final class LoguruRecord {

  private LoguruRecord() {}

  /** The fields of a loguru record laid out flat; null for an object that is not one. */
  static Map<String, Object> flatten(Map<String, Object> fields) {
    if (fields.size() != 2 || !(fields.get("text") instanceof String text)
        || !(fields.get("record") instanceof Map<?, ?> record)
        || !(record.get("level") instanceof Map<?, ?> level) || !record.containsKey("message")) {
      return null;
    }
    Map<String, Object> flat = new LinkedHashMap<>();
    flat.put("level", level.get("name"));
    flat.put("message", record.get("message"));
    if (record.get("time") instanceof Map<?, ?> time) {
      flat.put("time", time.get("timestamp"));
    }
    flat.put("logger", record.get("name"));
    if (record.get("exception") != null) {
      flat.put("exception", traceback(text, record.get("exception")));
    }
    if (record.get("extra") instanceof Map<?, ?> extra) {
      extra.forEach((key, value) -> flat.putIfAbsent(key.toString(), value));
    }
    flat.put("function", record.get("function"));
    flat.put("line", record.get("line"));
    if (record.get("file") instanceof Map<?, ?> file) {
      flat.put("file", file.get("path"));
    }
    if (record.get("thread") instanceof Map<?, ?> thread) {
      flat.put("thread", thread.get("name"));
    }
    flat.values().removeIf(value -> value == null);
    return flat;
  }

  /** The traceback in the text, after its first line; the exception's type and value where there is none. */
  private static String traceback(String text, Object exception) {
    int firstLineEnd = text.indexOf('\n');
    String after = firstLineEnd < 0 ? "" : text.substring(firstLineEnd + 1).strip();
    if (!after.isEmpty()) {
      return after;
    }
    return exception instanceof Map<?, ?> typed ? typed.get("type") + ": " + typed.get("value") : exception.toString();
  }
}
