package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Huey consumer ({@code huey_consumer tasks.huey}, a Python job queue on Redis or SQLite)
 * says of its tasks, read from its lines ({@link #parse}): {@code Executing
 * tasks.render: <task id>} as a task starts, {@code tasks.render: <task id> executed in 0.337s}
 * when it returned, {@code Unhandled exception in task <task id>.} with the traceback below it
 * when it raised, and the lines of a retry, a cancel, a lock not taken and an interrupt.
 *
 * <p>A consumer runs several tasks at once, one a worker (a thread, {@code Worker-1}, or a
 * process, whose id its lines print instead), and each of its lines names its worker: so a task
 * is its worker's ({@link ChildLineParser.TaskScope#PROCESS}), from its start to its end, and the
 * lines the task's own loggers print in Huey's format in between are its. A task's id is its
 * task; its name goes into {@code task_name}, as for Celery.
 */
final class HueyLines {

  /**
   * Huey's, the job queue's consumer: {@code [%(asctime)s] %(levelname)s:%(name)s:%(threadName)s:%(message)s}.
   */
  private static final Pattern HUEY = Pattern.compile(
      "\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:,\\d{3})?\\] (?<level>" + PythonLoggingLines.PYTHON_LEVELS + "):"
          + "(?<logger>[A-Za-z_][\\w.-]{0,199}):(?<thread>[^:\\s]{1,100}):(?<message>.*)");

  /** A task's start or end, Huey 2's, with the task as Huey prints one: {@code <name>: <id>}, then what it adds. */
  private static final Pattern TASK_LINE = Pattern.compile(
      "Executing (?<startedName>[^\\s:]+): (?<started>\\S+)(?: .*)?"
          + "|(?<returnedName>[^\\s:]+): (?<returned>\\S+)(?: .*)? executed in (?<seconds>\\d+\\.\\d+)s"
          + "|Unhandled exception in task (?<failed>\\S+)\\."
          + "|Task (?<retried>\\S+) raised RetryTask, retrying\\."
          + "|Task (?<cancelled>\\S+) raised CancelExecution .*"
          + "|Task (?<locked>\\S+) not run, .*"
          + "|Received exit signal, (?<interrupted>\\S+) did not finish\\.");

  private static final String[] ENDS = {"returned", "failed", "retried", "cancelled", "locked", "interrupted"};

  private HueyLines() {}

  /**
   * A line in Huey's format ({@link #HUEY}): its level, the message after the prefix, the logger
   * and the thread (the consumer's worker: {@code Worker-1}). The time has no zone, so the record
   * keeps the time the line came.
   */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.length() < 30 || line.charAt(0) != '[' || !Character.isDigit(line.charAt(1))) {
      return null;
    }
    Matcher matcher = HUEY.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    metadata.put("logger", matcher.group("logger"));
    String worker = matcher.group("thread");
    if (worker.chars().allMatch(Character::isDigit) && worker.length() <= 10) {
      metadata.put("pid", Long.parseLong(worker));   // a consumer of processes prints its workers' ids
    } else {
      metadata.put("thread", worker);
    }
    String message = matcher.group("message");
    return withTask(new ChildLineParser.Parsed(Level.fromName(matcher.group("level")), message, null, metadata,
        endsTask.test(message)));
  }

  /**
   * A line in Huey's format: the task it starts or ends, where it is Huey's line about one, for
   * its worker; any other line its worker's, the worker's task's.
   */
  static ChildLineParser.Parsed withTask(ChildLineParser.Parsed line) {
    Map<String, Object> metadata = line.metadata();
    Object logger = metadata.get("logger");
    Matcher task = "huey".equals(logger) ? TASK_LINE.matcher(line.message()) : null;
    if (task == null || !task.matches()) {
      return new ChildLineParser.Parsed(line.level(), line.message(), null, metadata, line.endsTask(), null,
          ChildLineParser.TaskScope.PROCESS);
    }
    String id = task.group("started");
    if (id != null) {
      metadata.put("task_name", task.group("startedName"));
      return new ChildLineParser.Parsed(line.level(), line.message(), id, metadata, false, null,
          ChildLineParser.TaskScope.PROCESS);
    }
    for (String end : ENDS) {
      if (id == null) {
        id = task.group(end);
      }
    }
    if (task.group("returned") != null) {
      metadata.put("task_name", task.group("returnedName"));
      metadata.put("elapsed_s", Double.parseDouble(task.group("seconds")));
    }
    return new ChildLineParser.Parsed(line.level(), line.message(), id, metadata, true, null,
        ChildLineParser.TaskScope.PROCESS);
  }
}
