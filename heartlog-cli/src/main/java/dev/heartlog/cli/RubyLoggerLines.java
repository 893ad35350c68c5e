package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines of Ruby's standard {@code Logger} in its default format, which a Ruby worker (a
 * Resque or Delayed Job worker, a script) logs in unless it set another: {@code E,
 * [2026-12-03T14:26:06.343395 #20305] ERROR -- render: bad frame 13 (ArgumentError)}. An
 * exception it logs ({@code log.error(e)}) is its message and class, then its backtrace a line a
 * frame, which joins the record.
 */
final class RubyLoggerLines {

  /** The level's letter, the time (local, microseconds), the process, the level, the program's name. */
  private static final Pattern LINE = Pattern.compile(
      "[DIWEFA], \\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6} #(?<pid>\\d{1,10})\\] +"
          + "(?<level>DEBUG|INFO|WARN|ERROR|FATAL|ANY) -- (?<progname>[^:]*): (?<message>.*)");

  private RubyLoggerLines() {}

  /**
   * A line of Ruby's {@code Logger}: its level (WARN is WARNING, FATAL CRITICAL, and ANY, what
   * {@code Logger#unknown} logs whatever the logger's level, INFO), the message after the prefix,
   * the program's name ({@code Logger#progname}) as the record's {@code logger} where it has one,
   * and the process in {@code pid}. The time has no zone, so the record keeps the time the line
   * came. Before, the prefix stayed in the message. Null for any other line.
   */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.length() < 40 || line.charAt(1) != ',' || line.charAt(3) != '[') {
      return null;
    }
    Matcher matcher = LINE.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    Level level = switch (matcher.group("level")) {
      case "DEBUG" -> Level.DEBUG;
      case "WARN" -> Level.WARNING;
      case "ERROR" -> Level.ERROR;
      case "FATAL" -> Level.CRITICAL;
      default -> Level.INFO;   // INFO, and ANY
    };
    if (!matcher.group("progname").isEmpty()) {
      metadata.put("logger", matcher.group("progname"));
    }
    metadata.put("pid", Long.parseLong(matcher.group("pid")));
    String message = matcher.group("message");
    // A Delayed Job worker logs its jobs through it.
    return DelayedJobLines.within(new ChildLineParser.Parsed(level, message, null, metadata, endsTask.test(message)));
  }
}
