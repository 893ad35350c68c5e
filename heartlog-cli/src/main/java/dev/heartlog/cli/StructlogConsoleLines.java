package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The lines of structlog's {@code ConsoleRenderer}, what {@code structlog.get_logger()} prints
 * unless told otherwise: {@code 2026-12-06 23:31:13 [info     ] Loaded model
 * model=wan2.1 steps=30}. The time (left out where no {@code TimeStamper} runs), the level in
 * brackets padded to 9, the event padded to 30 where fields follow it, the logger's name in
 * brackets where {@code add_logger_name} gives one, then the fields, {@code key=value} sorted by
 * key, their values as Python prints them: a string bare, so a value may hold spaces ({@code
 * note=two words here}). Without a terminal, no colours.
 */
final class StructlogConsoleLines {

  /** The width structlog pads the level to: that of its longest name, {@code exception}. */
  private static final int LEVEL_WIDTH = 9;
  /** The width structlog pads the event to where fields follow it. */
  private static final int EVENT_WIDTH = 30;
  /** The most characters a time before the level may take ({@code fmt="iso"}: 27). */
  private static final int MAX_TIME = 40;

  private StructlogConsoleLines() {}

  /**
   * A line of structlog's console: its level, the event as the message, the logger's name as
   * {@code logger}, and its fields in metadata as text, a {@code task_id} (or {@code task},
   * {@code job_id}, ...) among them the record's task. The time, where it has an offset ({@code
   * TimeStamper(fmt="iso")}, UTC), is the record's; the default's local time has none, so the
   * record keeps the time the line came. Null for any other line. Before, the level was read but
   * the whole line was the message, and a task its fields named was not the record's.
   */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    int open = levelBracket(line);
    if (open < 0) {
      return null;
    }
    int close = line.indexOf(']', open);
    Level level = level(line.substring(open + 1, close).stripTrailing());
    if (level == null || close + 2 > line.length() || line.charAt(close + 1) != ' ') {
      return null;
    }
    String rest = line.substring(close + 2);
    int tail = tailStart(rest);
    String message = (tail < 0 ? rest : rest.substring(0, tail)).stripTrailing();
    String task = null;
    if (tail >= 0) {
      String fields = rest.substring(tail);
      String logger = null;
      if (fields.startsWith("[")) {
        int end = fields.indexOf(']');
        logger = fields.substring(1, end);
        fields = end + 2 >= fields.length() ? "" : fields.substring(end + 2);
      }
      if (fields.isEmpty() || beginsKey(fields, 0)) {
        if (logger != null) {
          metadata.put("logger", logger);
        }
        Map<String, Object> pairs = pairs(fields);
        task = PrintedFields.takeTask(pairs);
        pairs.forEach(metadata::putIfAbsent);
      } else {
        message = rest.stripTrailing();   // "[out] to disk": words of a long event, no logger's name
      }
    }
    Instant time = open == 0 ? null : IsoTime.parse(line.substring(0, open - 1));
    return new ChildLineParser.Parsed(level, message, task, metadata, endsTask.test(message), time);
  }

  /**
   * Where the level's bracket opens: at the line's start, or after a time (a digit first) and a
   * space; the bracket holds a lowercase word and the spaces that pad it to {@link #LEVEL_WIDTH}
   * or more. -1 where there is none. Cheap on other lines: it looks at the first 41 characters.
   */
  private static int levelBracket(String line) {
    int open;
    if (line.startsWith("[")) {
      open = 0;
    } else if (line.length() > 12 && LoggerFormats.startsWithDigit(line)) {
      open = -1;
      for (int i = 1; i <= Math.min(MAX_TIME, line.length() - 2); i++) {
        if (line.charAt(i) == '[' && line.charAt(i - 1) == ' ') {
          open = i;
          break;
        }
      }
      if (open < 0) {
        return -1;
      }
    } else {
      return -1;
    }
    int i = open + 1;
    while (i < line.length() && line.charAt(i) >= 'a' && line.charAt(i) <= 'z') {
      i++;
    }
    if (i == open + 1 || i >= line.length() || line.charAt(i) != ' ') {
      return -1;   // no word, or no padding after it: "[info]", "[INFO ]"
    }
    while (i < line.length() && line.charAt(i) == ' ') {
      i++;
    }
    return i < line.length() && line.charAt(i) == ']' && i - open - 1 >= LEVEL_WIDTH ? open : -1;
  }

  private static Level level(String name) {
    return switch (name) {
      case "debug", "notset" -> Level.DEBUG;
      case "info" -> Level.INFO;
      case "warning", "warn" -> Level.WARNING;
      case "error", "exception" -> Level.ERROR;
      case "critical", "fatal" -> Level.CRITICAL;
      default -> null;
    };
  }

  /**
   * Where the logger's name or the fields begin after the event, or -1 where none follow it. An
   * event shorter than {@link #EVENT_WIDTH} is padded to it and a space added; a longer one has
   * the space alone: either way they begin at the first {@code key=} (or bracket) after a space
   * past the width. An event that holds {@code key=} past the width is cut there, its rest read
   * as fields.
   */
  private static int tailStart(String rest) {
    for (int i = EVENT_WIDTH + 1; i < rest.length(); i++) {
      if (rest.charAt(i - 1) == ' ' && beginsTail(rest, i)) {
        return i;
      }
    }
    return -1;
  }

  /** Whether a logger's name in brackets, or a {@code key=}, begins at {@code at}. */
  private static boolean beginsTail(String rest, int at) {
    if (rest.charAt(at) == '[') {
      int end = rest.indexOf(']', at);
      int space = rest.indexOf(' ', at);
      return end > at + 1 && (end + 1 == rest.length() || rest.charAt(end + 1) == ' ') && (space < 0 || space > end);
    }
    return beginsKey(rest, at);
  }

  /** Whether a {@code key=} begins at {@code at}: a name as Python's keyword arguments have. */
  private static boolean beginsKey(String rest, int at) {
    int i = at;
    while (i < rest.length() && isKeyCharacter(rest.charAt(i), i == at)) {
      i++;
    }
    return i > at && i < rest.length() && rest.charAt(i) == '=';
  }

  private static boolean isKeyCharacter(char c, boolean first) {
    return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || !first && c >= '0' && c <= '9';
  }

  /**
   * The fields, {@code key=value} apart by spaces: a word that does not begin with a {@code key=}
   * is more of the value before it ({@code note=two words here}, {@code shape=[1, 2]}).
   */
  private static Map<String, Object> pairs(String fields) {
    Map<String, Object> pairs = new LinkedHashMap<>();
    String key = null;
    StringBuilder value = new StringBuilder();
    int start = 0;
    while (start <= fields.length()) {
      int end = fields.indexOf(' ', start);
      if (end < 0) {
        end = fields.length();
      }
      if (end > start && beginsKey(fields, start)) {
        if (key != null) {
          pairs.putIfAbsent(key, value.toString());
        }
        int equals = fields.indexOf('=', start);
        key = fields.substring(start, equals);
        value.setLength(0);
        value.append(fields, equals + 1, end);
      } else if (key != null) {
        value.append(' ').append(fields, start, end);
      }
      start = end + 1;
    }
    if (key != null) {
      pairs.putIfAbsent(key, value.toString());
    }
    return pairs;
  }
}
