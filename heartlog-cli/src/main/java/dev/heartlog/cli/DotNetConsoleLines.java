package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header line of .NET's console logger in its default, simple format (Microsoft.Extensions.Logging,
 * what a .NET worker service prints unless told otherwise): {@code fail: RenderWorker.Worker[1001]},
 * the level in four letters, the logger's category and the event's id; the message follows on
 * the lines below it, indented by six, and an exception's text below the message.
 */
final class DotNetConsoleLines {

  private static final Pattern HEADER = Pattern.compile(
      "(?<level>trce|dbug|info|warn|fail|crit): (?<category>[^\\s\\[\\]]{1,300})\\[(?<event>-?\\d{1,10})\\]");

  private DotNetConsoleLines() {}

  /**
   * The header's level (trce and dbug are DEBUG, fail ERROR, crit CRITICAL), the category as the
   * record's {@code logger} and the event's id as {@code event_id}, and no message: the lines
   * below it, written with it, are the message ({@link Tracebacks}). Before, {@code fail:} and
   * {@code crit:} named no level, and every error was its stream's level, INFO on stdout; the
   * message began with the category. Null for any other line.
   */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata) {
    if (line.length() < 10 || line.charAt(4) != ':' || line.charAt(line.length() - 1) != ']') {
      return null;
    }
    Matcher matcher = HEADER.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    Level level = switch (matcher.group("level")) {
      case "trce", "dbug" -> Level.DEBUG;
      case "info" -> Level.INFO;
      case "warn" -> Level.WARNING;
      case "fail" -> Level.ERROR;
      default -> Level.CRITICAL;
    };
    metadata.put("logger", matcher.group("category"));
    metadata.put("event_id", Integer.parseInt(matcher.group("event")));
    return new ChildLineParser.Parsed(level, "", null, metadata, false);
  }
}
