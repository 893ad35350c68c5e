package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines of nginx's error log on stderr ({@code error_log /dev/stderr}, as a worker that runs
 * nginx in front of its model server, {@code daemon off}, has it): {@code 2026/12/03 14:21:39
 * [error] 17618#17618: *2 open() "/srv/www/missing" failed (2: No such file or directory), ...},
 * and what nginx writes there before its log is open, {@code nginx: [emerg] bind() to
 * 127.0.0.1:80 failed (98: Address already in use)}. Its lines of requests ({@code access_log
 * /dev/stdout}) are {@link AccessLogLines}'.
 */
final class NginxLines {

  private static final String LEVELS = "debug|info|notice|warn|error|crit|alert|emerg";

  /** The error log's line: the time, the level in brackets, the process and thread, then the message. */
  private static final Pattern ERROR_LOG = Pattern.compile(
      "\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d \\[(?<level>" + LEVELS + ")\\] (?<pid>\\d{1,10})#\\d{1,20}: (?<message>.*)");

  /** nginx's own line on stderr, before its error log is open or where opening it failed. */
  private static final Pattern STDERR = Pattern.compile("nginx: \\[(?<level>" + LEVELS + ")\\] (?<message>.*)");

  private NginxLines() {}

  /**
   * A line of nginx's: its level (notice is INFO, warn WARNING, crit, alert and emerg CRITICAL:
   * emerg is the one nginx stops after), the message after the prefix, and the process in {@code
   * pid}, which tells the master from its workers. The time is local, of whole seconds, and not
   * taken. Before, each was read as a line of Go's {@code log}, whose time it shares, and kept
   * its level in brackets in the message; {@code [emerg]} and {@code [crit]} were INFO. Null for
   * any other line.
   */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    Matcher matcher;
    if (line.startsWith("nginx: [")) {
      matcher = STDERR.matcher(line);
    } else if (line.length() > 24 && line.charAt(4) == '/' && line.charAt(20) == '[' && LoggerFormats.startsWithDigit(line)) {
      matcher = ERROR_LOG.matcher(line);
    } else {
      return null;
    }
    if (!matcher.matches()) {
      return null;
    }
    Level level = switch (matcher.group("level")) {
      case "debug" -> Level.DEBUG;
      case "info", "notice" -> Level.INFO;
      case "warn" -> Level.WARNING;
      case "error" -> Level.ERROR;
      default -> Level.CRITICAL;
    };
    if (matcher.pattern() == ERROR_LOG) {
      metadata.put("pid", Long.parseLong(matcher.group("pid")));
    }
    String message = matcher.group("message");
    return new ChildLineParser.Parsed(level, message, null, metadata, endsTask.test(message));
  }
}
