package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console lines of Python's {@code rich.logging.RichHandler}, in columns: the time (left
 * blank when it repeats), the level padded to 8, the message, and where it was logged, right
 * aligned ({@code [05:46:48] INFO     rendering frame 7          render.py:5}). What a record
 * prints on more lines, a traceback or a message that wraps, is indented to the message's column.
 * Read as the seed's format, the first word of the message was taken for a component; the lines
 * below, each a record of its own, kept their indentation, and a traceback was not one.
 *
 * <p>One for each stream: it remembers the message's column of the last record, and gives the
 * lines below it without that indentation, at the record's level, to the usual parsing, which
 * joins a traceback to its ERROR line as it does Python logging's ({@link Tracebacks}). The rest
 * of a message that wrapped is a record of its own.
 */
final class RichLogLines {

  /** The first line of a record: the time or its blank, the level padded to 8, the message, the path. */
  private static final Pattern RECORD = Pattern.compile(
      "^(?:\\[[^\\]]{1,40}\\] | {2,})?(?<level>DEBUG {4}|INFO {5}|WARNING {2}|ERROR {4}|CRITICAL )"
          + "(?<message>\\S.*?)\\s+(?<file>[^\\s:]+\\.py|<[^\\s>]+>):(?<line>\\d{1,9})$");   // <string>: python -c

  /** Where the last record's message began: its lines below are indented this far; -1 after other lines. */
  private int messageColumn = -1;
  private Level recordLevel;

  /** A record's first line, parsed; null for any other line. */
  ChildLineParser.Parsed parse(String line, String stream) {
    Matcher matcher = mayBeRecord(line) ? RECORD.matcher(line) : null;
    if (matcher == null || !matcher.matches()) {
      if (!isBelowRecord(line)) {
        messageColumn = -1;
      }
      return null;
    }
    messageColumn = matcher.start("message");
    RecordMetadata metadata = new RecordMetadata(4);
    metadata.put("stream", stream);
    metadata.put("file", matcher.group("file"));
    metadata.put("line", Integer.parseInt(matcher.group("line")));
    Level level = Level.valueOf(matcher.group("level").trim().toUpperCase(Locale.ROOT));
    recordLevel = level;
    return new ChildLineParser.Parsed(level, matcher.group("message"), null, metadata, false);
  }

  /**
   * Whether the line ends as a record's first line does, with where it was logged: most lines do
   * not, and are not matched against {@link #RECORD} (a wrapped worker's burst of 1,000,000 lines
   * went from about 400,000 lines/s to 320,000 with it).
   */
  private static boolean mayBeRecord(String line) {
    return !line.isEmpty() && Character.isDigit(line.charAt(line.length() - 1))
        && (line.contains(".py:") || line.contains(">:"));
  }

  /** A line below a record's first, without the indentation to the message's column; any other line as it is. */
  String unindent(String line) {
    return isBelowRecord(line) && !line.isBlank() ? line.substring(messageColumn) : line;
  }

  /**
   * The level of a line that names none: the record's, for a line below it (the rest of a message
   * that wrapped is a record of its own, at its level); else {@code streamDefault}.
   */
  Level levelFor(String line, Level streamDefault) {
    return isBelowRecord(line) ? recordLevel : streamDefault;
  }

  private boolean isBelowRecord(String line) {
    if (messageColumn < 0) {
      return false;
    }
    if (line.isBlank()) {
      return true;
    }
    return line.length() > messageColumn && line.substring(0, messageColumn).isBlank();
  }
}
