package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines of a Prefect flow (Python's workflow orchestrator: {@code python flow.py}, or a
 * {@code prefect worker} that streams its flow runs' output) in Prefect's own logging
 * configuration: a flow run's {@code 12:03:45.123 | INFO    | Flow run 'crimson-fox' - Downloading
 * model}, a task run's {@code 12:03:46.456 | ERROR   | Task run 'render-0' - Task run failed with
 * exception: ...}, and Prefect's own {@code 12:03:44.001 | INFO    | prefect.engine - Created flow
 * run 'crimson-fox' for flow 'render'}.
 *
 * <p>The flow run is the task: a flow run's line makes its run the current task, and its {@code
 * Finished in state Completed()} (or {@code Failed(...)}, {@code Crashed(...)}, {@code
 * Cancelled(...)}) ends it. A worker may run several flows at once, their lines interleaved; a
 * line that names no run is the one begun last's, and when that one finishes, the one begun last
 * of those still running is current again ({@link ChildLineParser.TaskScope#CONCURRENT}). A task
 * run's lines are its flow run's, the task run's name in {@code task_run}. Each line's level is
 * the one it prints; its time has no date, so the record keeps the time the line came.
 */
final class PrefectLines {

  private static final Pattern LINE = Pattern.compile(
      "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\| (?<level>DEBUG|INFO|WARNING|ERROR|CRITICAL) *\\| "
          + "(?:(?<kind>Flow|Task) run (?:'(?<single>(?:[^'\\\\]|\\\\.)*)'|\"(?<double>(?:[^\"\\\\]|\\\\.)*)\")"
          + "|(?<logger>[A-Za-z_][\\w.]{0,199})) - (?<message>.*)");

  private PrefectLines() {}

  /** A line in Prefect's format, or null for any other line. */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata) {
    if (line.length() < 20 || line.charAt(2) != ':' || line.charAt(8) != '.' || !line.startsWith(" | ", 12)) {
      return null;
    }
    Matcher matcher = LINE.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    Level level = Level.fromName(matcher.group("level"));
    String message = matcher.group("message");
    if (matcher.group("logger") != null) {
      metadata.put("logger", matcher.group("logger"));
      return new ChildLineParser.Parsed(level, message, null, metadata, false);
    }
    String name = matcher.group("single") != null ? matcher.group("single") : matcher.group("double");
    if (matcher.group("kind").equals("Task")) {
      metadata.put("task_run", name);
      return new ChildLineParser.Parsed(level, message, null, metadata, false);
    }
    metadata.put("flow_run", name);
    return new ChildLineParser.Parsed(level, message, name, metadata, message.startsWith("Finished in state "), null,
        ChildLineParser.TaskScope.CONCURRENT);
  }
}
