package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a line a wrapped worker printed into a record. The default format is the seed's Python
 * worker's, {@code [HH:MM:SS] LEVEL COMPONENT [Task <id>] message}, where LEVEL is a level name
 * or an emoji marker (✅ success, 🔄/⏳ progress, ❌ error, ⚠️ warning). Another format is a
 * regular expression with the named groups {@code level}, {@code component}, {@code task} and
 * {@code message}, any of them optional. A line that does not match is kept whole at the
 * stream's default level.
 */
final class ChildLineParser {

  /** The seed worker's console line. */
  static final String SEED_FORMAT =
      "^\\[(?<time>\\d{1,2}:\\d{2}:\\d{2})\\]\\s+(?<level>\\S+)\\s+(?<component>\\S+)\\s+"
          + "(?:\\[Task (?<task>[^\\]]+)\\]\\s*)?(?<message>.*)$";

  /** Lines that end the current task (the seed worker's own phrases), when no other is given. */
  static final String DEFAULT_TASK_END =
      "(?i)(task (completed|complete|failed|finished|done)|worker idle|polling for tasks)";

  /** What one line says. {@code task} is null when the line names none. */
  record Parsed(Level level, String message, String task, Map<String, Object> metadata, boolean endsTask) {}

  private final Pattern format;
  private final Pattern taskEnd;

  ChildLineParser(String format, String taskEnd) {
    this.format = Pattern.compile(format);
    this.taskEnd = Pattern.compile(taskEnd);
  }

  Parsed parse(String line, Level streamDefault, String stream) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("stream", stream);
    Matcher matcher = format.matcher(line);
    if (!matcher.matches()) {
      return new Parsed(streamDefault, line, null, metadata, taskEnd.matcher(line).find());
    }
    String marker = group(matcher, "level");
    Level level = streamDefault;
    if (marker != null) {
      level = levelOf(marker, streamDefault);
      String kind = kindOf(marker);
      if (kind != null) {
        metadata.put("kind", kind);
      }
      if (!marker.matches("[A-Za-z]+")) {
        metadata.put("marker", marker);
      }
    }
    String component = group(matcher, "component");
    if (component != null) {
      metadata.put("component", component);
    }
    String message = group(matcher, "message");
    String text = message == null ? line : message;
    return new Parsed(level, text, group(matcher, "task"), metadata, taskEnd.matcher(text).find());
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
        return marker.matches("[A-Za-z]+") ? Level.fromName(marker) : fallback;
    }
  }

  private static String kindOf(String marker) {
    return switch (marker) {
      case "✅", "SUCCESS" -> "success";
      case "🔄", "⏳", "📊", "PROGRESS" -> "progress";
      default -> null;
    };
  }

  private static String group(Matcher matcher, String name) {
    try {
      String value = matcher.group(name);
      return value == null || value.isBlank() ? null : value.trim();
    } catch (IllegalArgumentException noSuchGroup) {
      return null;
    }
  }
}
