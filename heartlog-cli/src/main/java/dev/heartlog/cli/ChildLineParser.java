package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.time.Instant;
import java.util.List;
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
      Parsed json = jsonLine(line, streamDefault, metadata);
      if (json != null) {
        return json;
      }
      Parsed python = pythonBasicFormat(line, metadata);
      if (python != null) {
        return python;
      }
      Level named = levelNamedNearStart(line);
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

  /** Field names structured loggers give the level, the message, the task, the logger and the exception. */
  private static final List<String> LEVEL_FIELDS = List.of("level", "levelname", "severity", "lvl", "log.level");
  private static final List<String> MESSAGE_FIELDS = List.of("message", "msg", "event", "@message");
  private static final List<String> TASK_FIELDS = List.of("task_id", "taskId", "task");
  private static final List<String> LOGGER_FIELDS = List.of("logger", "name", "logger_name", "log.logger");
  private static final List<String> EXCEPTION_FIELDS = List.of("exception", "exc_info", "stack_trace", "stack");
  private static final List<String> TIME_FIELDS = List.of("timestamp", "@timestamp", "time", "ts");
  private static final long SINCE_2001 = 1_000_000_000L;

  /**
   * A line that is one JSON object (structlog, python-json-logger, pino, zap, ...): the level,
   * message, task, logger and exception from the fields such loggers name them by, every other
   * field into the record's metadata. A line without a message field keeps its whole text as the
   * message. Null for a line that is not a JSON object.
   */
  private Parsed jsonLine(String line, Level streamDefault, RecordMetadata metadata) {
    Map<String, Object> fields = JsonLine.object(line);
    if (fields == null) {
      return null;
    }
    Object levelValue = take(fields, LEVEL_FIELDS);
    Level level = levelValue == null ? streamDefault : jsonLevel(levelValue, streamDefault);
    Object messageValue = take(fields, MESSAGE_FIELDS);
    String message = messageValue instanceof String text ? text : line;
    if (messageValue != null && !(messageValue instanceof String)) {
      fields.put("message", messageValue);   // not text: kept with the fields
    }
    Object taskValue = take(fields, TASK_FIELDS);
    String task = taskValue == null || taskValue.toString().isBlank() ? null : taskValue.toString();
    Object logger = take(fields, LOGGER_FIELDS);
    if (logger != null) {
      metadata.put("logger", logger.toString());
    }
    Object exception = take(fields, EXCEPTION_FIELDS);
    if (exception != null) {
      metadata.put("exception", exception.toString());
    }
    Instant time = null;
    for (String name : TIME_FIELDS) {
      time = fields.containsKey(name) ? jsonTime(fields.get(name)) : null;
      if (time != null) {
        fields.remove(name);   // it is the record's time; a time that cannot be read stays a field
        break;
      }
    }
    fields.forEach(metadata::putIfAbsent);
    return new Parsed(level, message, task, metadata, taskEnd.matcher(message).find(), time);
  }

  /** Removes and returns the first of {@code names} the object has (with a non-null value). */
  private static Object take(Map<String, Object> fields, List<String> names) {
    for (String name : names) {
      Object value = fields.remove(name);
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  /**
   * A time written as ISO-8601 with its offset ({@code 2026-11-29T16:00:00.123456Z}, {@code
   * +01:00}), or as a number since 1970 in seconds, milli-, micro- or nanoseconds by its size
   * (Python's {@code time.time()}, pino's {@code Date.now()}, zap's seconds), after 2001; null
   * otherwise (a local time without offset says nothing certain, a small number is a duration).
   */
  static Instant jsonTime(Object value) {
    // Epoch numbers before 2001 (10^9 s) are read as durations or counts, which loggers also
    // write under these names.
    if (value instanceof Integer || value instanceof Long) {
      long n = ((Number) value).longValue();   // exact: no rounding through a double
      if (n < SINCE_2001) {
        return null;   // a duration or a count, not a time
      }
      // Seconds, milli-, micro- or nanoseconds, by size, as the store reads a numeric time.
      long perSecond = n < 100_000_000_000L ? 1
          : n < 100_000_000_000_000L ? 1_000
          : n < 100_000_000_000_000_000L ? 1_000_000
          : 1_000_000_000;
      long micros = (n % perSecond) * 1_000_000 / perSecond;
      return Instant.ofEpochSecond(n / perSecond, micros * 1_000);
    }
    if (value instanceof Double number) {   // seconds with a fraction, as time.time() prints them
      double seconds = number;
      if (!(seconds >= SINCE_2001) || seconds >= 1e11) {
        return null;   // a duration ("time": 1.5), or not seconds
      }
      long whole = (long) Math.floor(seconds);
      return Instant.ofEpochSecond(whole, Math.round((seconds - whole) * 1e6) * 1_000L);
    }
    if (value instanceof String text) {
      try {
        return java.time.OffsetDateTime.parse(text.trim().replace(' ', 'T')).toInstant();
      } catch (java.time.format.DateTimeParseException notIso) {
        return null;
      }
    }
    return null;
  }

  /** A level written as a name ({@code "warn"}, {@code "ERROR"}) or as pino's number (30 info, 50 error). */
  private static Level jsonLevel(Object value, Level streamDefault) {
    if (value instanceof Number number) {
      int n = number.intValue();
      return n >= 60 ? Level.CRITICAL : n >= 50 ? Level.ERROR : n >= 40 ? Level.WARNING : n >= 30 ? Level.INFO : Level.DEBUG;
    }
    String name = value.toString().trim().toUpperCase(java.util.Locale.ROOT);
    return switch (name) {
      case "TRACE", "DEBUG", "FINE", "FINER", "FINEST" -> Level.DEBUG;
      case "INFO", "NOTICE", "CONFIG", "SUCCESS" -> Level.INFO;
      case "WARN", "WARNING" -> Level.WARNING;
      case "ERROR", "ERR", "SEVERE" -> Level.ERROR;
      case "CRITICAL", "FATAL", "PANIC", "ALERT", "EMERGENCY", "EMERG", "DPANIC" -> Level.CRITICAL;
      default -> streamDefault;
    };
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
   * The level a line of another format names near its start, where common formats put it:
   * Python's logging ({@code INFO:root:...}, {@code ... - WARNING - ...}), loguru ({@code ... |
   * ERROR    | ...}), {@code [WARN] ...}. A level name in capitals, a word of its own, within the
   * first {@link #LEVEL_NAME_REACH} characters; null where there is none. (Python's logging
   * writes to stderr, so without this every record of a Python worker's would be a warning.)
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
      Level level = switch (line.substring(start, i)) {
        case "TRACE", "DEBUG" -> Level.DEBUG;
        case "INFO" -> Level.INFO;
        case "WARN", "WARNING" -> Level.WARNING;
        case "ERROR", "SEVERE" -> Level.ERROR;
        case "CRITICAL", "FATAL" -> Level.CRITICAL;
        default -> null;
      };
      if (level != null) {
        return level;
      }
    }
    return null;
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
