package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a line a wrapped worker printed into a record. The default format is the seed's Python
 * worker's, {@code [HH:MM:SS] LEVEL COMPONENT [Task <id>] message}, where LEVEL is a level name
 * or an emoji marker (✅ success, 🔄/⏳ progress, ❌ error, ⚠️ warning). Another format is a
 * regular expression with the named groups {@code level}, {@code component}, {@code task} and
 * {@code message}, any of them optional. A line that does not match is read as a structured
 * logger's JSON object if it is one, or in Python logging's default format ({@code
 * LEVEL:logger:message}) if it is in it, else kept whole, at the level it names near its start
 * ({@link #levelNamedNearStart}), else at the stream's default.
 */
final class ChildLineParser {

  /** The seed worker's console line. */
  static final String SEED_FORMAT =
      "^\\[(?<time>\\d{1,2}:\\d{2}:\\d{2})\\]\\s+(?<level>\\S+)\\s+(?<component>\\S+)\\s+"
          + "(?:\\[Task (?<task>[^\\]]+)\\]\\s*)?(?<message>.*)$";

  /** Lines that end the current task (the seed worker's own phrases), when no other is given. */
  static final String DEFAULT_TASK_END =
      "(?i)(task (completed|complete|failed|finished|done)|worker idle|polling for tasks)";

  /** How far into a line of another format {@link #levelNamedNearStart} looks for a level name. */
  static final int LEVEL_NAME_REACH = 48;

  /**
   * How far it looks for a level set apart by " - ", as Python's most quoted format prints it
   * ({@code %(asctime)s - %(name)s - %(levelname)s - %(message)s}) after a logger's dotted name.
   */
  static final int LEVEL_FIELD_REACH = 160;

  /** Python's {@code %(asctime)s - %(name)s - %(levelname)s - %(message)s}. */
  private static final Pattern PYTHON_DASHED = Pattern.compile(
      "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} - (?<logger>\\S+) - "
          + "(?<level>DEBUG|INFO|WARNING|ERROR|CRITICAL) - (?<message>.*)");

  /**
   * glog's and absl's line ({@code W1129 10:00:00.123456  4242 gpu_device.cc:2019] ...}) and
   * TensorFlow's ({@code 2026-11-29 10:00:00.123456: I tensorflow/core/util/port.cc:113] ...}),
   * which GPU workers print on stderr: the level is one letter, I, W, E or F (fatal).
   */
  private static final Pattern GLOG = Pattern.compile(
      "(?:(?<glog>[IWEF])\\d{4} [\\d:.]+\\s+\\d+|\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+: (?<tf>[IWEF]))"
          + " \\S+:\\d+\\] .*");

  /**
   * What one line says. {@code task} is null when the line names none; {@code time} when it
   * gives no time of its own (a JSON line's {@code timestamp} is the record's time).
   */
  record Parsed(Level level, String message, String task, Map<String, Object> metadata, boolean endsTask, Instant time) {

    /** A line that gives no time of its own: the record takes the time the line arrived. */
    Parsed(Level level, String message, String task, Map<String, Object> metadata, boolean endsTask) {
      this(level, message, task, metadata, endsTask, null);
    }
  }

  private final Pattern format;
  private final Pattern taskEnd;
  // Which named groups the format has, found once: asking a matcher for a group the pattern does
  // not have throws, which would cost an exception a line.
  private final boolean hasLevel;
  private final boolean hasComponent;
  private final boolean hasTask;
  private final boolean hasMessage;

  ChildLineParser(String format, String taskEnd) {
    this.format = Pattern.compile(format);
    this.taskEnd = Pattern.compile(taskEnd);
    this.hasLevel = hasGroup(format, "level");
    this.hasComponent = hasGroup(format, "component");
    this.hasTask = hasGroup(format, "task");
    this.hasMessage = hasGroup(format, "message");
  }

  private static boolean hasGroup(String format, String name) {
    return format.contains("(?<" + name + ">");
  }

  Parsed parse(String line, Level streamDefault, String stream) {
    RecordMetadata metadata = new RecordMetadata(4);
    metadata.put("stream", stream);
    Matcher matcher = format.matcher(line);
    if (!matcher.matches()) {
      Parsed json = JsonLine.parse(line, streamDefault, metadata, taskEnd);
      if (json != null) {
        return json;
      }
      Parsed python = pythonBasicFormat(line, metadata);
      if (python == null) {
        python = pythonDashedFormat(line, metadata);
      }
      if (python != null) {
        return python;
      }
      Level named = levelNamedNearStart(line);
      if (named == null) {
        named = glogLevel(line);
      }
      return new Parsed(named == null ? streamDefault : named, line, null, metadata, taskEnd.matcher(line).find());
    }
    String marker = hasLevel ? group(matcher, "level") : null;
    Level level = streamDefault;
    if (marker != null) {
      level = levelOf(marker, streamDefault);
      String kind = kindOf(marker);
      if (kind != null) {
        metadata.put("kind", kind);
      }
      if (!isLevelName(marker)) {
        metadata.put("marker", marker);
      }
    }
    String component = hasComponent ? group(matcher, "component") : null;
    if (component != null) {
      metadata.put("component", component);
    }
    String message = hasMessage ? group(matcher, "message") : null;
    String text = message == null ? line : message;
    String task = hasTask ? group(matcher, "task") : null;
    return new Parsed(level, text, task, metadata, taskEnd.matcher(text).find());
  }

  /**
   * A line in Python logging's default format ({@code logging.basicConfig()}: {@code
   * LEVEL:logger:message}, on stderr): its level, its logger as the record's {@code logger} (so
   * that levels per component and the viewer can tell the loggers apart), and the message after
   * it. Null for any other line.
   */
  private Parsed pythonBasicFormat(String line, RecordMetadata metadata) {
    int levelEnd = line.indexOf(':');
    if (levelEnd < 4 || levelEnd > 8) {
      return null;
    }
    Level level = switch (line.substring(0, levelEnd)) {
      case "DEBUG" -> Level.DEBUG;
      case "INFO" -> Level.INFO;
      case "WARNING" -> Level.WARNING;
      case "ERROR" -> Level.ERROR;
      case "CRITICAL" -> Level.CRITICAL;
      default -> null;
    };
    int loggerEnd = level == null ? -1 : line.indexOf(':', levelEnd + 1);
    if (loggerEnd <= levelEnd + 1) {
      return null;
    }
    for (int i = levelEnd + 1; i < loggerEnd; i++) {
      if (Character.isWhitespace(line.charAt(i))) {
        return null;   // "INFO:     Uvicorn running on ...": not a logger's name
      }
    }
    metadata.put("logger", line.substring(levelEnd + 1, loggerEnd));
    String message = line.substring(loggerEnd + 1);
    return new Parsed(level, message, null, metadata, taskEnd.matcher(message).find());
  }

  /**
   * A line in the format Python's logging documentation quotes most ({@code %(asctime)s -
   * %(name)s - %(levelname)s - %(message)s}): its level, its logger as the record's {@code
   * logger} and the message after it, as for {@link #pythonBasicFormat}. The line's time is local
   * time with no zone, so the record keeps the time the line came. Null for any other line.
   */
  private Parsed pythonDashedFormat(String line, RecordMetadata metadata) {
    if (line.length() < 30 || line.charAt(0) < '0' || line.charAt(0) > '9') {
      return null;   // most lines: no regular expression run
    }
    Matcher matcher = PYTHON_DASHED.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    metadata.put("logger", matcher.group("logger"));
    String message = matcher.group("message");
    return new Parsed(Level.fromName(matcher.group("level")), message, null, metadata, taskEnd.matcher(message).find());
  }

  /**
   * The level a line of another format names near its start, where common formats put it:
   * Python's logging ({@code INFO:root:...}, {@code ... - WARNING - ...}), loguru ({@code ... |
   * ERROR    | ...}), {@code [WARN] ...}. A level name in capitals, a word of its own, within the
   * first {@link #LEVEL_NAME_REACH} characters, or set apart by " - " within the first {@link
   * #LEVEL_FIELD_REACH}; null where there is none. (Python's logging writes to stderr, so
   * without this every record of a Python worker's would be a warning.)
   */
  static Level levelNamedNearStart(String line) {
    int reach = Math.min(line.length(), LEVEL_NAME_REACH);
    int i = 0;
    while (i < reach) {
      if (!isWordChar(line.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      while (i < line.length() && isWordChar(line.charAt(i))) {
        i++;
      }
      Level level = levelName(line.substring(start, i));
      if (level != null) {
        return level;
      }
    }
    return levelField(line);
  }

  /** A level name between " - " and " - " within {@link #LEVEL_FIELD_REACH} characters, or null. */
  private static Level levelField(String line) {
    int reach = Math.min(line.length(), LEVEL_FIELD_REACH);
    for (int start = line.indexOf(" - "); start >= 0 && start < reach; start = line.indexOf(" - ", start + 3)) {
      int end = line.indexOf(" - ", start + 3);
      if (end < 0) {
        return null;
      }
      Level level = levelName(line.substring(start + 3, end));
      if (level != null) {
        return level;
      }
    }
    return null;
  }

  private static Level levelName(String word) {
    return switch (word) {
      case "TRACE", "DEBUG" -> Level.DEBUG;
      case "INFO" -> Level.INFO;
      case "WARN", "WARNING" -> Level.WARNING;
      case "ERROR", "SEVERE" -> Level.ERROR;
      case "CRITICAL", "FATAL" -> Level.CRITICAL;
      default -> null;
    };
  }

  /** The level of a line of glog's, absl's or TensorFlow's ({@link #GLOG}); null for any other line. */
  static Level glogLevel(String line) {
    if (line.length() < 8 || !(line.charAt(0) >= '0' && line.charAt(0) <= '9' || "IWEF".indexOf(line.charAt(0)) >= 0)) {
      return null;   // most lines: no regular expression run
    }
    Matcher matcher = GLOG.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    String letter = matcher.group("glog") != null ? matcher.group("glog") : matcher.group("tf");
    return switch (letter) {
      case "I" -> Level.INFO;
      case "W" -> Level.WARNING;
      case "E" -> Level.ERROR;
      default -> Level.CRITICAL;
    };
  }

  private static boolean isWordChar(char c) {
    return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_';
  }

  private static Level levelOf(String marker, Level fallback) {
    switch (marker) {
      case "✅":
      case "🔄":
      case "⏳":
      case "📊":
      case "SUCCESS":
      case "PROGRESS":
      case "ESSENTIAL":
      case "STATUS":
        return Level.INFO;
      case "❌":
        return Level.ERROR;
      case "⚠️":
      case "⚠":
        return Level.WARNING;
      default:
        return isLevelName(marker) ? Level.fromName(marker) : fallback;
    }
  }

  private static String kindOf(String marker) {
    return switch (marker) {
      case "✅", "SUCCESS" -> "success";
      case "🔄", "⏳", "📊", "PROGRESS" -> "progress";
      default -> null;
    };
  }

  /** A marker made of ASCII letters only ({@code INFO}, {@code warn}), not an emoji. */
  private static boolean isLevelName(String marker) {
    for (int i = 0; i < marker.length(); i++) {
      char c = marker.charAt(i);
      if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
        return false;
      }
    }
    return !marker.isEmpty();
  }

  private static String group(Matcher matcher, String name) {
    try {
      String value = matcher.group(name);
      return value == null || value.isBlank() ? null : value.trim();
    } catch (IllegalArgumentException noSuchGroup) {
      // "(?<name>" in the format's text without being a group (escaped): never a reason to stop.
      return null;
    }
  }
}
