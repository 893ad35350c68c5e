package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the web servers Python workers are served by print of themselves when nobody configured
 * their logging: gunicorn's master and workers, Flask's handler of {@code app.logger}, and the
 * development server's (werkzeug's) lines, which name no level. Each reader gives null for a
 * line not in its format.
 */
final class PythonWebServerLines {

  /**
   * gunicorn's own lines: {@code [2026-12-03 12:30:49 +0000] [748] [INFO] Booting worker with pid:
   * 750}, {@code [%(asctime)s] [%(process)d] [%(levelname)s] %(message)s} with its {@code
   * %Y-%m-%d %H:%M:%S %z}.
   */
  private static final Pattern GUNICORN = Pattern.compile(
      "\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d [+-]\\d{4}\\] \\[(?<pid>\\d{1,10})\\] "
          + "\\[(?<level>" + PythonLoggingLines.PYTHON_LEVELS + ")\\] (?<message>.*)");

  /**
   * Flask's own handler, which logs {@code app.logger}'s records (and a request's unhandled
   * error) where nobody configured logging: {@code [%(asctime)s] %(levelname)s in %(module)s:
   * %(message)s}.
   */
  private static final Pattern FLASK = Pattern.compile(
      "\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}\\] (?<level>" + PythonLoggingLines.PYTHON_LEVELS + ") in "
          + "(?<module>[^\\s:]+): (?<message>.*)");

  private PythonWebServerLines() {}

  /**
   * A line of gunicorn's ({@link #GUNICORN}), the master's or a worker process's: its level, the
   * message after the brackets, and the process in {@code pid}, which tells the master from its
   * workers. The time, of whole seconds, is not taken: the time the line came is finer, and keeps
   * the lines of a second in their order.
   */
  static ChildLineParser.Parsed gunicorn(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.length() < 40 || line.charAt(0) != '[' || line.charAt(26) != ']' || !Character.isDigit(line.charAt(1))) {
      return null;
    }
    Matcher matcher = GUNICORN.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    metadata.put("pid", Long.parseLong(matcher.group("pid")));
    String message = matcher.group("message");
    return new ChildLineParser.Parsed(Level.fromName(matcher.group("level")), message, null, metadata,
        endsTask.test(message));
  }

  /**
   * What Flask's development server (werkzeug) logs of itself, on stderr with no level in the
   * line: its address and how to stop it at its start ({@code  * Running on
   * http://127.0.0.1:5000}, {@code Press CTRL+C to quit}), its reloader's lines, and its debugger's
   * PIN, at INFO; that its debugger is active or unsecured, at WARNING, werkzeug's levels. The
   * record's {@code logger} is {@code werkzeug}. Before, each was a warning. Null for any other
   * line.
   */
  static ChildLineParser.Parsed werkzeug(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    Level level;
    if (line.equals("Press CTRL+C to quit") || line.startsWith(" * Running on ") || line.startsWith(" * Restarting with ")
        || line.startsWith(" * Detected change in ") || line.startsWith(" * Debugger PIN: ")) {
      level = Level.INFO;
    } else if (line.equals(" * Debugger is active!") || line.startsWith(" * Debugger PIN disabled.")) {
      level = Level.WARNING;
    } else {
      return null;
    }
    metadata.put("logger", "werkzeug");
    return new ChildLineParser.Parsed(level, line, null, metadata, endsTask.test(line));
  }

  /**
   * A line of Flask's handler ({@link #FLASK}): its level, the message after the prefix, and the
   * module it was logged in as the record's {@code logger} (as for loguru's). Before, the message
   * began {@code in app: }. The time has no zone, so the record keeps the time the line came.
   */
  static ChildLineParser.Parsed flask(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.length() < 33 || line.charAt(0) != '[' || line.charAt(24) != ']' || !Character.isDigit(line.charAt(1))) {
      return null;
    }
    Matcher matcher = FLASK.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    metadata.put("logger", matcher.group("module"));
    String message = matcher.group("message");
    return new ChildLineParser.Parsed(Level.fromName(matcher.group("level")), message, null, metadata,
        endsTask.test(message));
  }
}
