package dev.heartlog.cli;

import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The lines of {@code pm2-runtime --json}, which prints each write of its apps as a JSON object
 * on its stdout, the app's stream in {@code type} ({@code {"message":"...","timestamp":"...",
 * "type":"err","process_id":0,"app_name":"render"}}), and each event of an app's process beside
 * PM2's own line of it ({@code {"timestamp":"...","type":"process_event","status":"exit",
 * "app_name":"render"}}). Read as one JSON object, the first was an INFO record whatever the app
 * wrote (its {@code ERROR} lines, its crash), the second an INFO record of the object's text.
 * {@link KnownFormats} reads the app's text as the app wrote it, on the stream it wrote it to.
 *
 * <p>PM2 takes the line ends out of a write ({@code "Error: CUDA out of memory    at worker.js:4:15
 * at ..."}): a Node.js stack trace so run together is {@link #stackTrace split} into its lines.
 */
final class Pm2JsonLines {

  /** One line of {@code --json}: an app's write ({@code out}, {@code err}) or an event of its process. */
  record JsonLine(String app, Long processId, String type, String text, Instant time) {

    boolean event() {
      return type.equals("process_event");
    }

    boolean stderr() {
      return type.equals("err");
    }

    /** The process as {@code --formatted} names it, and as heartlog does ({@code render:0}); the app alone for an event. */
    String process() {
      return processId == null ? app : app + ":" + processId;
    }
  }

  /** Where a frame of a Node.js stack trace begins, its line end taken out. */
  private static final String FRAME = "    at ";

  /**
   * A frame as Node.js prints it: {@code at}, the function where it has one, and the place, a
   * file's line and column ({@code at listOnTimeout (node:internal/timers:581:17)}, {@code at
   * /srv/worker.js:4:15}) or none ({@code <anonymous>}, {@code native}).
   */
  private static final Pattern FRAME_TEXT = Pattern.compile(
      " {4}at \\S.{0,1000}(?::\\d{1,9}:\\d{1,9}\\)?|\\((?:<anonymous>|native)\\)|<anonymous>)");

  private Pm2JsonLines() {}

  /** The line as PM2's {@code --json} prints it; null for any other line, any other JSON object among them. */
  static JsonLine read(String line) {
    if (!line.startsWith("{\"") || !line.contains("\"app_name\":")) {
      return null;   // the JSON parser's cost spared for every other line
    }
    Map<String, Object> fields = StructuredLine.object(line);
    if (fields == null || !(fields.get("app_name") instanceof String app) || !(fields.get("type") instanceof String type)) {
      return null;
    }
    Instant time = StructuredLine.time(fields.get("timestamp"));
    if (type.equals("process_event")) {
      return fields.get("status") instanceof String status && fields.size() == 4
          ? new JsonLine(app, null, type, status, time) : null;
    }
    if (!(type.equals("out") || type.equals("err")) || !(fields.get("message") instanceof String message)
        || !(fields.get("process_id") instanceof Number id) || fields.size() != 5) {
      return null;
    }
    return new JsonLine(app, id.longValue(), type, message, time);
  }

  /**
   * A Node.js stack trace whose line ends PM2 took out, as Node.js printed it: the error's line,
   * then each frame on a line of its own; null where the text is no such trace (a frame's {@code
   * at} after the first word, and only frames after it).
   */
  static String stackTrace(String text) {
    int first = text.indexOf(FRAME);
    if (first < 1) {
      return null;
    }
    String[] frames = text.substring(first).split("(?=" + FRAME + ")");
    for (String frame : frames) {
      if (!FRAME_TEXT.matcher(frame).matches()) {
        return null;
      }
    }
    return text.substring(0, first) + "\n" + String.join("\n", frames);
  }
}
