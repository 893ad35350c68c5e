package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's messages as psql writes them on stderr, as a worker's start runs its migrations
 * ({@code psql -f migrate.sql}): {@code psql:migrate.sql:4: ERROR:  duplicate key value ...}, the
 * file and line of the statement before the severity and two spaces; without a file ({@code psql
 * -c}) the severity alone ({@code NOTICE:  table "x" does not exist, skipping}). A NOTICE, what
 * {@code create table if not exists} says of a table already there, was a warning; it is INFO, as
 * PostgreSQL ranks it below WARNING. Each is at its severity's level (FATAL and PANIC critical, LOG
 * INFO), the message after the two spaces; the prefixed form also names {@code component} psql
 * and the statement's {@code file} and {@code line}. The lines the server adds ({@code DETAIL:},
 * {@code HINT:}, {@code LINE 1:} and its caret) are not read here: they stay lines of the message
 * before them.
 */
final class PsqlLines {

  private static final String SEVERITY = "(?<severity>ERROR|FATAL|PANIC|WARNING|NOTICE|INFO|LOG|DEBUG[1-5]?)";

  private static final Pattern FROM_A_FILE = Pattern.compile(
      "psql:(?<file>[^:]{1,300}):(?<line>\\d{1,9}): " + SEVERITY + ":  (?<message>\\S.*)");

  /**
   * The severity and exactly two spaces. uvicorn pads its level to a column ({@code INFO:     },
   * {@code WARNING:  }); its lines are read before these, to the same level and message.
   */
  private static final Pattern ALONE = Pattern.compile(SEVERITY + ":  (?<message>\\S.*)");

  private PsqlLines() {}

  /** A message of the server's as psql writes it, at its level; null for any other line. */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata) {
    Matcher matcher;
    if (line.startsWith("psql:")) {
      matcher = FROM_A_FILE.matcher(line);
      if (!matcher.matches()) {
        return null;
      }
      metadata.put("component", "psql");
      metadata.put("file", matcher.group("file"));
      metadata.put("line", Integer.parseInt(matcher.group("line")));
    } else if (!line.isEmpty() && Character.isUpperCase(line.charAt(0)) && line.contains(":  ")) {
      matcher = ALONE.matcher(line);
      if (!matcher.matches()) {
        return null;
      }
    } else {
      return null;
    }
    Level level = switch (matcher.group("severity")) {
      case "ERROR" -> Level.ERROR;
      case "FATAL", "PANIC" -> Level.CRITICAL;
      case "WARNING" -> Level.WARNING;
      case "NOTICE", "INFO", "LOG" -> Level.INFO;
      default -> Level.DEBUG;
    };
    return new ChildLineParser.Parsed(level, matcher.group("message"), null, metadata, false);
  }
}
