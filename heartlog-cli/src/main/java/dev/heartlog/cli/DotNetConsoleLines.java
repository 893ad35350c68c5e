package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header line of .NET's console logger in its default, simple format (Microsoft.Extensions.Logging,
 * what a .NET worker service prints unless told otherwise): {@code fail: RenderWorker.Worker[1001]},
 * the level in four letters, the logger's category and the event's id; the message follows on
 * the lines below it, indented by six, and an exception's text below the message. With the
 * formatter's {@code SingleLine} option, the message and the exception follow on the header's
 * line, each line end a space; with its {@code TimestampFormat}, the time comes first.
 */
final class DotNetConsoleLines {

  /**
   * The header: a time in the format the worker gave ({@code HH:mm:ss }, {@code yyyy-MM-dd
   * HH:mm:ss.fff }; not in brackets, which is the seed's format's), the level, category and event id, and in a single line the rest.
   */
  private static final Pattern HEADER = Pattern.compile(
      "(?:\\d[\\d:.,/ TZ+-]{0,40} )?(?<level>trce|dbug|info|warn|fail|crit): "
          + "(?<category>[^\\s\\[\\]]{1,300})\\[(?<event>-?\\d{1,10})\\](?: (?<message>.*))?");

  private static final Set<String> LEVELS = Set.of("trce", "dbug", "info", "warn", "fail", "crit");

  /** Where a level's colon may be: after a time of at most 41 characters and a space. */
  private static final int LAST_LEVEL_COLON = 46;

  /**
   * In a single line, where an exception's text begins: its type's name after a space, and what
   * follows the type in {@code Exception.ToString()}: its message, an inner exception, a frame.
   */
  private static final Pattern SINGLE_LINE_EXCEPTION = Pattern.compile(
      "(?:^| )([A-Za-z_][\\w.+`]*Exception)(?:: |  ---> |    at )");

  /** A frame, its line end a space: {@code    at X.Y() in /src/Worker.cs:line 12}. */
  private static final String SINGLE_LINE_FRAME = "    at ";

  /**
   * Serilog's console sink in its default template, {@code [{Timestamp:HH:mm:ss} {Level:u3}]
   * {Message:lj}}: {@code [05:00:02 ERR] Render of "t-42" failed}, the exception's text on the
   * lines below.
   */
  private static final Pattern SERILOG = Pattern.compile(
      "\\[\\d\\d:\\d\\d:\\d\\d (?<level>VRB|DBG|INF|WRN|ERR|FTL)\\] (?<message>.*)");

  /** What .NET's console logger sets each line below a header by: the message's, the exception's. */
  private static final String PADDING = "      ";

  /**
   * The first line of an exception's text ({@code Exception.ToString()}): its type, by .NET's
   * convention ending in {@code Exception}, and its message. {@code +} joins a nested type's names.
   */
  private static final Pattern EXCEPTION_LINE = Pattern.compile("[A-Za-z_][\\w.+`]*Exception(?:: .*)?");

  private DotNetConsoleLines() {}

  /**
   * A header's record with the lines below it ({@link #parse}, {@link Tracebacks}), laid out as
   * the logger wrote it: the padding taken off each line, and the exception's text, from its
   * type's line down ({@code System.InvalidOperationException: model not loaded}, its frames,
   * its inner exceptions), the record's {@code exception}, so that the exception names the
   * error's kind; where the entry is the exception alone, its first line is the message too.
   * Before, the exception stayed in the message, six spaces before each line, and an error was
   * named by its message. Any other record is returned as it is.
   */
  static Tracebacks.Line laidOut(Tracebacks.Line record) {
    Map<String, Object> metadata = record.metadata();
    if (!metadata.containsKey("event_id") || !metadata.containsKey("logger") || record.message().indexOf('\n') < 0) {
      return record;
    }
    String[] lines = record.message().split("\n", -1);
    int exceptionAt = EXCEPTION_LINE.matcher(lines[0]).matches() ? 0 : -1;
    for (int i = 1; i < lines.length; i++) {
      if (!lines[i].startsWith(PADDING) && !lines[i].isEmpty()) {
        return record;   // not the logger's lines: a header's look-alike
      }
      lines[i] = lines[i].substring(Math.min(PADDING.length(), lines[i].length()));
      if (exceptionAt < 0 && EXCEPTION_LINE.matcher(lines[i]).matches()) {
        exceptionAt = i;
      }
    }
    if (exceptionAt < 0) {
      return record.withMessage(String.join("\n", lines), metadata);
    }
    RecordMetadata withException = new RecordMetadata(metadata.size() + 1);
    withException.putAll(metadata);
    List<String> all = Arrays.asList(lines);
    withException.put("exception", String.join("\n", all.subList(exceptionAt, lines.length)));
    String message = exceptionAt == 0 ? lines[0] : String.join("\n", all.subList(0, exceptionAt)).stripTrailing();
    return record.withMessage(message, withException);
  }

  /**
   * A line of Serilog's console sink in its default template ({@link #SERILOG}): its level (VRB
   * and DBG are DEBUG, FTL CRITICAL) and the message after it. The time has no date, so the record
   * keeps the time the line came. Before, every line was its stream's level, INFO on stdout, its
   * errors too. Null for any other line.
   */
  static ChildLineParser.Parsed serilog(String line, RecordMetadata metadata) {
    if (line.length() < 15 || line.charAt(0) != '[' || line.charAt(3) != ':' || line.charAt(13) != ']') {
      return null;
    }
    Matcher matcher = SERILOG.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    Level level = LevelNames.threeLetterLevel(matcher.group("level"));
    return new ChildLineParser.Parsed(level, matcher.group("message"), null, metadata, false);
  }

  /**
   * The header's level (trce and dbug are DEBUG, fail ERROR, crit CRITICAL), the category as the
   * record's {@code logger} and the event's id as {@code event_id}. In the default format the
   * header has no message: the lines below it, written with it, are the message ({@link
   * Tracebacks}, {@link #laidOut}). In a single line the message follows, and an exception with
   * frames after it is the record's {@code exception}, its lines as .NET wrote them. Before,
   * {@code fail:} and {@code crit:} named no level, and every error was its stream's level,
   * INFO on stdout; the message began with the category, or with the time and the level. Null
   * for any other line.
   */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata) {
    if (line.length() < 10 || levelColon(line) < 0) {
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
    String message = matcher.group("message") == null ? "" : matcher.group("message");
    int frame = message.indexOf(SINGLE_LINE_FRAME);
    Matcher exception = SINGLE_LINE_EXCEPTION.matcher(message);
    if (exception.find() && exception.start(1) < frame) {
      String text = message.substring(exception.start(1))
          .replace(SINGLE_LINE_FRAME, "\n   at ").replace("  ---> ", "\n ---> ").replace("    --- ", "\n   --- ");
      metadata.put("exception", text);
      String before = message.substring(0, exception.start(1)).strip();
      message = before.isEmpty() ? text.substring(0, text.indexOf('\n')) : before;
    }
    return new ChildLineParser.Parsed(level, message, null, metadata, false);
  }

  /**
   * Where a level's colon is ({@code fail: }), at the line's start or after a time; -1 where no
   * colon up to {@link #LAST_LEVEL_COLON} follows one of the six levels. {@link #HEADER} decides.
   */
  private static int levelColon(String line) {
    for (int colon = line.indexOf(": ", 4); colon >= 0 && colon <= LAST_LEVEL_COLON; colon = line.indexOf(": ", colon + 1)) {
      if (LEVELS.contains(line.substring(colon - 4, colon))) {
        return colon;
      }
    }
    return -1;
  }
}
