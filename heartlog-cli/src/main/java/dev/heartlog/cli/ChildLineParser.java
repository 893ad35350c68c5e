package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a line a wrapped worker printed into a record. The default format is the seed's Python
 * worker's, {@code [HH:MM:SS] LEVEL COMPONENT [Task <id>] message}, where LEVEL is a level name
 * or an emoji marker (✅ success, 🔄/⏳ progress, ❌ error, ⚠️ warning). Another format is a
 * regular expression with the named groups {@code level}, {@code component}, {@code task} and
 * {@code message}, any of them optional; its other named groups go into the record's metadata.
 * A line that does not match is read in the first format heartlog knows that it is in ({@link
 * KnownFormats}: a structured logger's JSON or logfmt, a job queue's worker's, Python's logging
 * and the formats of loggers nobody configured, the tools a worker's start runs, ...), else kept
 * whole at the level it names near its start, or else at the stream's.
 */
final class ChildLineParser {

  /** The seed worker's console line. */
  static final String SEED_FORMAT =
      "^\\[(?<time>\\d{1,2}:\\d{2}:\\d{2})\\]\\s+(?<level>\\S+)\\s+(?<component>\\S+)\\s+"
          + "(?:\\[Task (?<task>[^\\]]+)\\]\\s*)?(?<message>.*)$";

  /**
   * Lines that end the current task (the seed worker's own phrases), when no other is given: as
   * words, so that neither "subtask done" nor asyncio's {@code <Task finished name='Task-2' ...>},
   * which its "Task exception was never retrieved" error prints, ends the worker's task.
   */
  static final String DEFAULT_TASK_END =
      "(?i)(?<![<\\w])(task (completed|complete|failed|finished|done)|worker idle|polling for tasks)";

  /** The level of a line on stderr that names none, unless {@code heartlog run --stderr-level} says another. */
  static final Level DEFAULT_STDERR_LEVEL = Level.WARNING;

  /** A named group's start in a format: {@code (?<name>}. */
  private static final Pattern GROUP_NAME = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

  /** A whole number, as a format's group's text is stored as a number: no sign, no leading zero. */
  private static final Pattern WHOLE_NUMBER = Pattern.compile("0|[1-9]\\d{0,17}");

  /** Whose a line's task is. */
  enum TaskScope {
    /**
     * The worker's: a line naming a task makes it the current one, for the lines that follow
     * until a line ends it; a line naming none is the current task's. The seed worker's lines.
     */
    CURRENT,
    /**
     * The line's process's ({@code process} in its metadata, else its {@code thread} or {@code
     * pid}), one of a pool's that run tasks at once: as {@link #CURRENT}, but for that process's
     * lines only (a Celery worker's, a Sidekiq's, a Huey consumer's).
     */
    PROCESS,
    /**
     * As {@link #CURRENT}, for a worker that runs several tasks at once in one process and says
     * when each begins and ends (arq's jobs, on asyncio): when the current task ends, the one
     * begun last of those still running is current again, where no task was.
     */
    CONCURRENT,
    /** The line's own: the task it names, or none; it changes no current task. */
    LINE
  }

  /**
   * What one line says. {@code task} is null when the line names none; {@code time} when it
   * gives no time of its own (a JSON line's {@code timestamp} is the record's time). {@code plain}:
   * the line is in no format and names no level, so it may be a further line of the record before
   * it. {@code ownLevel}: the level is the line's own, not the stream's for a line that names none.
   * {@code levelByShape}: the level is one heartlog gave the line by its shape, a tool's line at
   * info that names no level (ffmpeg's); the lines read with it keep the stream's level.
   */
  record Parsed(Level level, String message, String task, Map<String, Object> metadata, boolean endsTask, Instant time,
      TaskScope scope, boolean plain, boolean ownLevel, boolean levelByShape) {

    Parsed(Level level, String message, String task, Map<String, Object> metadata, boolean endsTask, Instant time,
        TaskScope scope, boolean plain, boolean ownLevel) {
      this(level, message, task, metadata, endsTask, time, scope, plain, ownLevel, false);
    }

    /** A line in a format that gives its level. */
    Parsed(Level level, String message, String task, Map<String, Object> metadata, boolean endsTask, Instant time,
        TaskScope scope) {
      this(level, message, task, metadata, endsTask, time, scope, false, true);
    }

    /** A line whose task, if it names one, becomes the worker's current task. */
    Parsed(Level level, String message, String task, Map<String, Object> metadata, boolean endsTask, Instant time) {
      this(level, message, task, metadata, endsTask, time, TaskScope.CURRENT);
    }

    /** A line that gives no time of its own: the record takes the time the line arrived. */
    Parsed(Level level, String message, String task, Map<String, Object> metadata, boolean endsTask) {
      this(level, message, task, metadata, endsTask, null);
    }
  }

  private final UserPattern format;
  /** The option that gave the format: {@code --line-format}, {@code --python-format}. */
  private final String formatOption;
  private final UserPattern taskEnd;
  // Which named groups the format has, found once: asking a matcher for a group the pattern does
  // not have throws, which would cost an exception a line.
  private final boolean hasLevel;
  private final boolean hasComponent;
  private final boolean hasTask;
  private final boolean hasMessage;
  /** The format's other named groups, whose text goes into the record's metadata under their names. */
  private final List<String> metadataGroups;
  /** Whether the format is the seed's, whose shape another format's lines may have too. */
  private final boolean seedFormat;
  /** Whether the user's format has matched a line yet, and how many lines it had not matched till then. */
  private volatile boolean formatMatched;
  private final AtomicInteger linesBeforeFormatMatched = new AtomicInteger();
  /** The formats heartlog reads a line in that the worker's format does not match. */
  private final KnownFormats knownFormats;
  /** The level of a line written to stderr that names none ({@code --stderr-level}). */
  private final Level stderrLevel;

  ChildLineParser(String format, String taskEnd) {
    this(format, "--line-format", taskEnd);
  }

  /** @param formatOption the option that gave the format, for what heartlog run says of it */
  ChildLineParser(String format, String formatOption, String taskEnd) {
    this(format, formatOption, taskEnd, DEFAULT_STDERR_LEVEL);
  }

  /**
   * @param formatOption the option that gave the format, for what heartlog run says of it
   * @param stderrLevel the level of a line the worker wrote to stderr that names none, where
   *     another program passes its stderr on in lines of its own ({@link KnownFormats})
   */
  ChildLineParser(String format, String formatOption, String taskEnd, Level stderrLevel) {
    this.format = new UserPattern(format, formatOption, !format.equals(SEED_FORMAT));
    this.formatOption = formatOption;
    this.seedFormat = format.equals(SEED_FORMAT);
    this.taskEnd = new UserPattern(taskEnd, "--task-end", !taskEnd.equals(DEFAULT_TASK_END));
    this.hasLevel = hasGroup(format, "level");
    this.hasComponent = hasGroup(format, "component");
    this.hasTask = hasGroup(format, "task");
    this.hasMessage = hasGroup(format, "message");
    this.metadataGroups = seedFormat ? List.of() : metadataGroups(format);
    this.knownFormats = new KnownFormats(this::endsTask, stderrLevel);
    this.stderrLevel = stderrLevel;
  }

  /**
   * The names of the groups a format has beside {@code level}, {@code component}, {@code task} and
   * {@code message}, and {@code stream}, which heartlog sets: {@code (?<pid>\d+)}.
   */
  private static List<String> metadataGroups(String format) {
    List<String> names = new ArrayList<>();
    Matcher group = GROUP_NAME.matcher(format);
    while (group.find()) {
      String name = group.group(1);
      if (!List.of("level", "component", "task", "message", "stream").contains(name) && !names.contains(name)) {
        names.add(name);
      }
    }
    return List.copyOf(names);
  }

  /**
   * Reads a line in no format, which every reader looks at, and so loads the readers and compiles
   * their patterns now: before the worker starts, not while its first line waits. That took tens
   * of milliseconds, and a line the other stream printed after it was recorded before it.
   */
  void warmUp() {
    parse("heartlog run warms up its readers", Level.INFO, "stdout");
    linesBeforeFormatMatched.set(0);   // not the worker's: formatMatchedNoneOf counts the worker's lines
    formatMatched = false;
    TracebackLines.isExceptionLine("heartlog.Warm: up");
  }

  /**
   * Whether a format of the user's has matched none of the lines read, and they are {@code lines}
   * or more: a format that does not fit the worker's lines, each then read as without it.
   */
  boolean formatMatchedNoneOf(int lines) {
    return !seedFormat && !formatMatched && linesBeforeFormatMatched.get() >= lines;
  }

  String formatOption() {
    return formatOption;
  }

  /**
   * The level of a line the worker wrote to stderr that names none, where another program passes
   * the worker's stderr on in lines of its own (PM2's).
   */
  Level stderrLevel() {
    return stderrLevel;
  }

  /** Whether a line with this message ends the current task ({@code --task-end}). */
  boolean endsTask(String message) {
    return taskEnd.matcher(message).find();
  }

  private static boolean hasGroup(String format, String name) {
    return format.contains("(?<" + name + ">");
  }

  /**
   * What the line says: read in the worker's format where it gives one, else in the first of the
   * formats heartlog knows that it is in, else as a line of its stream's level; with the details
   * Temporal's loggers append to a message read off it ({@link TemporalDetails}).
   */
  Parsed parse(String line, Level streamDefault, String stream) {
    return TemporalDetails.withDetails(read(line, streamDefault, stream));
  }

  private Parsed read(String line, Level streamDefault, String stream) {
    RecordMetadata metadata = new RecordMetadata(4);
    metadata.put("stream", stream);
    Matcher matcher = format.matcher(line);
    boolean inFormat = matcher.matches();
    if (!seedFormat) {
      if (inFormat) {
        formatMatched = true;
      } else if (!formatMatched) {
        linesBeforeFormatMatched.incrementAndGet();
      }
    }
    if (!inFormat || seedFormat && isMessageWord(matcher.group("level"))) {
      return knownFormats.read(line, streamDefault, stream, metadata);
    }
    String marker = hasLevel ? group(matcher, "level") : null;
    if (seedFormat && marker != null && marker.length() > 1 && marker.endsWith(":")) {
      Level named = Level.named(marker.substring(0, marker.length() - 1)).orElse(null);
      if (named != null) {
        // "[%(asctime)s] %(levelname)s: %(message)s" with a time of day: the seed's shape, but the
        // colon says no component follows the level: all after it is the message. Before, an
        // ERROR was the stream's level, "ERROR:" its marker and the message's first word its component.
        String message = line.substring(matcher.end("level")).strip();
        return new Parsed(named, message, null, metadata, endsTask(message), null, TaskScope.CURRENT, false, true);
      }
    }
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
    if (seedFormat && ("-".equals(component) || "|".equals(component))) {
      // "[%(asctime)s] %(levelname)s - %(message)s" with a time of day: a dash, not a component.
      component = null;
    }
    if (component != null) {
      metadata.put("component", component);
    }
    for (String name : metadataGroups) {
      String value = group(matcher, name);
      if (value != null) {
        metadata.put(name, WHOLE_NUMBER.matcher(value).matches() ? (Object) Long.parseLong(value) : value);
      }
    }
    String message = hasMessage ? group(matcher, "message") : null;
    String text = message == null ? line : message;
    String task = hasTask ? group(matcher, "task") : null;
    return new Parsed(level, text, task, metadata, endsTask(text), null, TaskScope.CURRENT, false,
        marker != null && levelOf(marker, null) != null);
  }

  private static Level levelOf(String marker, Level fallback) {
    Level seeds = seedMarkerLevel(marker);
    if (seeds != null) {
      return seeds;
    }
    return isLevelName(marker) ? Level.fromName(marker) : fallback;
  }

  /** The level of a marker the seed worker prints in its level's place; null for any other word. */
  private static Level seedMarkerLevel(String marker) {
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
        return null;
    }
  }

  /**
   * Whether the word where the seed's format has its level names no level and is no marker of the
   * seed's: a message's first word, so the line is not in the seed's shape ({@code [12:00:00]
   * Starting worker now}, Python's {@code [%(asctime)s] %(message)s} with a time of day; {@code
   * [12:00:00] render INFO frame 7}, its logger before the level). Before, the word was dropped,
   * the next one taken for the component, and the line stored at INFO.
   */
  private static boolean isMessageWord(String marker) {
    return isLevelName(marker) && seedMarkerLevel(marker) == null && Level.named(marker).isEmpty();
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
