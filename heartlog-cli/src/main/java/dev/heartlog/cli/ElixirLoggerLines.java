package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Elixir's Logger on the console in its default format, {@code $time $metadata[$level]
 * $message} (what a Phoenix app or an Oban worker prints unless told otherwise): {@code
 * 05:00:02.123 request_id=F3x job_id=42 [error] Render failed}, the date first where the format
 * has {@code $date}, and the metadata the app configured as {@code key=value} before the level.
 * An error's report ({@code ** (RuntimeError) CUDA out of memory} and its frames) follows on the
 * lines below, in the same write; {@link TracebackLines} reads it.
 */
final class ElixirLoggerLines {

  private static final Pattern LINE = Pattern.compile(
      "(?:\\d{4}-\\d\\d-\\d\\d )?\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (?<fields>(?:[\\w.]{1,100}=\\S{0,300} ){0,20})"
          + "\\[(?<level>debug|info|notice|warning|warn|error|critical|alert|emergency)\\] ?(?<message>.*)");

  /** One of the metadata's pairs. */
  private static final Pattern FIELD = Pattern.compile("([\\w.]+)=(\\S*) ");

  private ElixirLoggerLines() {}

  /**
   * Whether the time ({@code 05:00:02.123 }, or with its date) is followed by the level's bracket
   * or by a metadata pair ({@code request_id=F3x}): a test that turns away most lines of other
   * shapes before {@link #LINE} is tried, which cost a line that began with a time 11% more
   * time to read.
   */
  private static boolean levelOrPairFollows(String line) {
    int after = line.charAt(4) == '-' ? 24 : 13;
    if (line.length() <= after || line.charAt(after - 1) != ' ') {
      return false;
    }
    if (line.charAt(after) == '[') {
      return true;
    }
    int equals = line.indexOf('=', after);
    int space = line.indexOf(' ', after);
    return equals > after && space > equals;
  }

  /**
   * A line of Elixir's Logger: its level (notice is INFO, alert and emergency CRITICAL; {@code
   * warn} as Elixir before 1.11 printed it), the message after it, and each metadata pair into the
   * record's metadata; a {@code task_id} (or {@code task}, {@code job_id}) pair is the line's
   * task, and changes no current task: Logger's metadata is a process's, and the worker's other
   * processes (and the same process, once it cleared the pair) log without it. Elixir's time is local time, and has no date unless configured: the
   * record keeps the time the line came. Before, the level was read but the time and the level
   * stayed in the message, and the metadata with them. Null for any other line.
   */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.length() < 20 || !LoggerFormats.startsWithDigit(line) || line.indexOf('[') < 13 || !levelOrPairFollows(line)) {
      return null;
    }
    Matcher matcher = LINE.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    Level level = LevelNames.syslogLevel(matcher.group("level").toUpperCase(Locale.ROOT));
    Map<String, Object> fields = new LinkedHashMap<>();
    Matcher field = FIELD.matcher(matcher.group("fields"));
    while (field.find()) {
      fields.put(field.group(1), field.group(2));
    }
    String task = PrintedFields.takeTask(fields);
    metadata.putAll(fields);
    String message = matcher.group("message");
    // Logger's metadata is its process's: a line without the task's pair comes from a process
    // running no task, or after the worker cleared it, so the pair names the line's task alone.
    return new ChildLineParser.Parsed(level, message, task, metadata, endsTask.test(message), null,
        task != null ? ChildLineParser.TaskScope.LINE : ChildLineParser.TaskScope.CURRENT);
  }
}
