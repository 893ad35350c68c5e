package dev.heartlog.cli;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A line of Log4j 2's {@code JsonLayout} ({@code <JsonLayout compact="true" eventEol="true"/>}),
 * the JSON a Java worker writes with Log4j 2: {@code {"instant": {"epochSecond": ...,
 * "nanoOfSecond": ...}, "thread": "main", "level": "ERROR", "loggerName": "app.Render",
 * "message": "render failed", "thrown": {...}, "contextMap": {...}, ...}}. Its fields are laid
 * out as other structured loggers name them, for {@link StructuredLine} to read: the time of its
 * instant (its {@code timeMillis} before Log4j 2.11), the logger's name, the exception as Java
 * prints it ({@code thrown}: its name, message, frames and cause, as {@code printStackTrace}
 * writes them), the thread, and the entries of its context map (the MDC; a {@code task_id} among
 * them is the task). Log4j's bookkeeping ({@code endOfBatch}, {@code loggerFqcn}, {@code
 * threadId}, {@code threadPriority}) is left out.
 */
final class Log4jJsonRecord {

  private static final Set<String> BOOKKEEPING = Set.of("instant", "timeMillis", "loggerName", "thrown", "contextMap",
      "endOfBatch", "loggerFqcn", "threadId", "threadPriority");

  private Log4jJsonRecord() {}

  /** The fields of a JsonLayout line laid out flat; null for an object that is not one. */
  static Map<String, Object> flatten(Map<String, Object> fields) {
    if (!(fields.get("loggerName") instanceof String logger) || !fields.containsKey("loggerFqcn")
        || !(fields.get("instant") instanceof Map<?, ?> || fields.get("timeMillis") instanceof Number)) {
      return null;
    }
    Map<String, Object> flat = new LinkedHashMap<>();
    flat.put("level", fields.get("level"));
    flat.put("message", fields.get("message"));
    if (fields.get("instant") instanceof Map<?, ?> instant && instant.get("epochSecond") instanceof Number seconds) {
      long nanos = instant.get("nanoOfSecond") instanceof Number n ? n.longValue() : 0;
      flat.put("time", Instant.ofEpochSecond(seconds.longValue(), nanos).toString());
    } else {
      flat.put("time", fields.get("timeMillis"));
    }
    flat.put("logger", logger);
    if (fields.get("thrown") instanceof Map<?, ?> thrown) {
      flat.put("exception", stackTrace(thrown));
    }
    if (fields.get("contextMap") instanceof Map<?, ?> context) {
      context.forEach((key, value) -> flat.putIfAbsent(key.toString(), value));
    }
    fields.forEach((key, value) -> {
      if (!BOOKKEEPING.contains(key)) {
        flat.putIfAbsent(key, value);
      }
    });
    flat.values().removeIf(value -> value == null);
    return flat;
  }

  /**
   * The exception as Java prints it: {@code java.lang.IllegalStateException: model not loaded},
   * a line a frame ({@code \tat Render.main(Render.java:8)}), {@code \t... 8 more} for the frames
   * it shares with the exception it caused, then its suppressed ones and its cause. The whole
   * text where Log4j wrote it so ({@code stacktraceAsString="true"}).
   */
  static String stackTrace(Map<?, ?> thrown) {
    if (thrown.get("extendedStackTrace") instanceof String whole) {
      return whole.stripTrailing();
    }
    StringBuilder text = new StringBuilder();
    append(text, thrown, "", "");
    return text.toString();
  }

  private static void append(StringBuilder text, Map<?, ?> thrown, String heading, String indent) {
    if (!text.isEmpty()) {
      text.append('\n');
    }
    text.append(indent).append(heading).append(thrown.get("name"));
    if (thrown.get("message") instanceof String message) {
      text.append(": ").append(message);
    }
    if (thrown.get("extendedStackTrace") instanceof List<?> frames) {
      for (Object element : frames) {
        if (element instanceof Map<?, ?> frame) {
          text.append('\n').append(indent).append("\tat ");
          if (frame.get("module") instanceof String module) {
            text.append(module).append('/');
          }
          text.append(frame.get("class")).append('.').append(frame.get("method")).append('(').append(place(frame)).append(')');
        }
      }
    }
    if (thrown.get("commonElementCount") instanceof Number common && common.intValue() > 0) {
      text.append('\n').append(indent).append("\t... ").append(common.intValue()).append(" more");
    }
    if (thrown.get("suppressed") instanceof List<?> suppressed) {
      for (Object each : suppressed) {
        if (each instanceof Map<?, ?> other) {
          append(text, other, "Suppressed: ", indent + "\t");
        }
      }
    }
    if (thrown.get("cause") instanceof Map<?, ?> cause) {
      append(text, cause, "Caused by: ", indent);
    }
  }

  /** Where a frame is, as Java prints it: {@code Render.java:8}, {@code Native Method}, {@code Unknown Source}. */
  private static String place(Map<?, ?> frame) {
    int line = frame.get("line") instanceof Number n ? n.intValue() : -1;
    if (line == -2) {
      return "Native Method";
    }
    if (!(frame.get("file") instanceof String file)) {
      return "Unknown Source";
    }
    return line >= 0 ? file + ":" + line : file;
  }
}
