package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines a web server in a worker writes of each request it served, in the Common Log Format
 * or its combined form: Python's {@code http.server} and Flask's development server (werkzeug)
 * on stderr, {@code 127.0.0.1 - - [03/Dec/2026 14:12:27] "GET /health HTTP/1.1" 200 -}, and
 * gunicorn's {@code --access-logfile -}, {@code 127.0.0.1 - - [03/Dec/2026:14:12:34 +0000] "GET
 * /health HTTP/1.1" 200 2 "-" "curl/7.88.1"}; and uWSGI's own form ({@link #UWSGI}). A worker
 * that answers an orchestrator's health checks writes one for each. On stderr, where a line
 * naming no level is a warning, each was a warning, and one right after an error's traceback was
 * taken into the error.
 */
final class AccessLogLines {

  /**
   * Who asked, the identity and the user ({@code -} where unknown), the time in brackets, and the
   * rest. The time as {@code http.server} writes it, {@code 03/Dec/2026 14:12:27}, or as the
   * Common Log Format does, {@code 03/Dec/2026:14:12:34 +0000}.
   */
  private static final Pattern LINE = Pattern.compile(
      "(?<client>[^\\s\\[\\]\"]{1,253}) (?<ident>\\S{1,64}) (?<user>\\S{1,64}) "
          + "\\[\\d\\d/[A-Z][a-z]{2}/\\d{4}(?<clf>:\\d\\d:\\d\\d:\\d\\d [+-]\\d{4}| \\d\\d:\\d\\d:\\d\\d)\\] (?<rest>.*)");

  /**
   * A request's line: the request in quotes, its status and size, and whatever follows them. The
   * quoted request is matched a run of plain characters at a time, not one character a
   * repetition of a group, which took a frame of the thread's stack each: a request of 30,000
   * characters overflowed it.
   */
  private static final Pattern REQUEST = Pattern.compile("\"[^\"\\\\]*(?:\\\\.[^\"\\\\]*)*\" (?<status>\\d{3}) \\S+(?: .*)?");

  /** What {@code http.server}'s {@code send_error} writes before the request's line: {@code code 404, message Not Found}. */
  private static final Pattern ERROR = Pattern.compile("code (?<status>\\d{3}), message .*");

  /**
   * uWSGI's line of a request: {@code [pid: 27516|app: 0|req: 2/2] 127.0.0.1 () {24 vars in 252
   * bytes} [Thu Dec  3 14:49:54 2026] GET /boom => generated 0 bytes in 0 msecs (HTTP/1.1 500) 0
   * headers in 0 bytes (0 switches on core 0)}: the worker process, who asked and the user in
   * parentheses, the request's size, the time, then the request and what was answered.
   */
  private static final Pattern UWSGI = Pattern.compile(
      "\\[pid: (?<pid>\\d{1,10})\\|app: -?\\d{1,9}\\|req: \\d{1,19}/\\d{1,19}\\] (?<client>\\S{1,253}) \\((?<user>[^)]{0,64})\\) "
          + "\\{\\d{1,9} vars in \\d{1,19} bytes\\} \\[[^\\]]{1,64}\\] (?<rest>\\S+ .* \\(HTTP/[\\d.]{1,5} (?<status>\\d{3})\\).*)");

  /**
   * Gin's line of a request (Go's most used web framework, and Ollama's server): {@code [GIN]
   * 2026/12/07 - 12:00:00 | 200 |    1.234567ms |       127.0.0.1 | POST     "/api/generate"},
   * its fields padded to columns, the status coloured on a terminal.
   */
  private static final Pattern GIN = Pattern.compile(
      "\\[GIN\\] \\d{4}/\\d\\d/\\d\\d - \\d\\d:\\d\\d:\\d\\d \\| +(?<status>\\d{3}) \\| +(?<latency>\\S{1,32}) \\|"
          + " +(?<client>\\S{0,253}) \\| +(?<method>[A-Z]{1,16}) +(?<path>\".*\")");

  /** Gin's own lines in its debug mode: {@code [GIN-debug] GET /ping --> main.main.func1 (3 handlers)}, {@code [GIN-debug] [WARNING] ...}. */
  private static final String GIN_DEBUG = "[GIN-debug] ";

  private AccessLogLines() {}

  /**
   * A line of a served request: INFO (the level werkzeug and gunicorn log it at; a failed
   * request's error is logged on its own), its message from the request on, who asked in {@code
   * client}, the user in {@code user} where one is named, and the response's status in {@code
   * status}, so that {@code logs --meta status=500} finds the failed ones. {@code http.server}'s
   * line of an error it sends ({@code code 404, message Not Found}) is a WARNING for a client's
   * error and an ERROR for the server's, with its {@code status}; another line of its, in its time
   * format, is INFO. The time is not taken: whole seconds, and in {@code http.server}'s with no
   * zone. Null for any other line.
   */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.startsWith("[pid: ")) {
      return uwsgi(line, metadata, endsTask);
    }
    if (line.startsWith("[GIN")) {
      return gin(line, metadata, endsTask);
    }
    int bracket = line.indexOf(" [");
    if (bracket < 5 || bracket > 400 || line.length() < bracket + 26 || line.charAt(bracket + 4) != '/'
        || !Character.isDigit(line.charAt(bracket + 2))) {
      return null;
    }
    Matcher matcher = LINE.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    String rest = matcher.group("rest");
    Matcher request = REQUEST.matcher(rest);
    Level level;
    String status;
    if (request.matches()) {
      level = Level.INFO;
      status = request.group("status");
    } else {
      Matcher error = ERROR.matcher(rest);
      boolean pythonServer = matcher.group("clf").charAt(0) == ' ' && matcher.group("ident").equals("-")
          && matcher.group("user").equals("-");
      if (!pythonServer) {
        return null;
      }
      status = error.matches() ? error.group("status") : null;
      level = status == null ? Level.INFO : switch (status.charAt(0)) {
        case '5' -> Level.ERROR;
        case '4' -> Level.WARNING;
        default -> Level.INFO;
      };
    }
    metadata.put("client", matcher.group("client"));
    if (!matcher.group("user").equals("-")) {
      metadata.put("user", matcher.group("user"));
    }
    if (status != null) {
      metadata.put("status", Integer.parseInt(status));
    }
    return new ChildLineParser.Parsed(level, rest, null, metadata, endsTask.test(rest));
  }

  /**
   * uWSGI's line of a request ({@link #UWSGI}): INFO, its message from the request on, the
   * worker process in {@code pid}, and {@code client}, {@code user} and {@code status} as for
   * the others. Null for any other line.
   */
  private static ChildLineParser.Parsed uwsgi(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    Matcher matcher = UWSGI.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    metadata.put("pid", Long.parseLong(matcher.group("pid")));
    metadata.put("client", matcher.group("client"));
    if (!matcher.group("user").isEmpty()) {
      metadata.put("user", matcher.group("user"));
    }
    metadata.put("status", Integer.parseInt(matcher.group("status")));
    String rest = matcher.group("rest");
    return new ChildLineParser.Parsed(Level.INFO, rest, null, metadata, endsTask.test(rest));
  }

  /**
   * Gin's line of a request ({@link #GIN}): INFO, as the others, its message the method, the
   * path, the status and the time it took ({@code POST "/api/generate" 200 1.234567ms}), and
   * {@code client} and {@code status}. Gin's lines of its debug mode are DEBUG, {@code component}
   * {@code gin}, or the level they name ({@code [GIN-debug] [WARNING] Running in "debug" mode}).
   * Null for any other line.
   */
  private static ChildLineParser.Parsed gin(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.startsWith(GIN_DEBUG)) {
      String said = line.substring(GIN_DEBUG.length());
      Level level = said.startsWith("[WARNING] ") ? Level.WARNING : said.startsWith("[ERROR] ") ? Level.ERROR : Level.DEBUG;
      String message = level == Level.DEBUG ? said : said.substring(said.indexOf(']') + 2);
      metadata.put("component", "gin");
      return new ChildLineParser.Parsed(level, message, null, metadata, endsTask.test(message));
    }
    Matcher matcher = GIN.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    if (!matcher.group("client").isEmpty()) {
      metadata.put("client", matcher.group("client"));
    }
    metadata.put("status", Integer.parseInt(matcher.group("status")));
    String message = matcher.group("method") + " " + matcher.group("path") + " " + matcher.group("status") + " "
        + matcher.group("latency");
    return new ChildLineParser.Parsed(Level.INFO, message, null, metadata, endsTask.test(message));
  }
}
