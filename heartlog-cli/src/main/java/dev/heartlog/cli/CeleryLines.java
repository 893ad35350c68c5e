package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines of a Celery worker ({@code celery -A app worker}), the job queue most Python workers
 * run on: {@code [2026-11-30 07:00:22,351: WARNING/ForkPoolWorker-1] message}, which a task's
 * own logger ({@code get_task_logger}) prints as {@code app.render[<task id>]: message}.
 *
 * <p>Each line's level and message are read, and its process (the pool's worker that printed
 * it) goes into the record's {@code process}. A worker runs several tasks at once, one per
 * process of its pool, so a line names its task as its process's ({@link
 * ChildLineParser.TaskScope#PROCESS}): a line of the task's logger starts the task for its
 * process, the lines that process prints next (other loggers, prints, which Celery logs as
 * WARNING) are the task's, and {@code Task app.render[<id>] succeeded}, {@code raised ...},
 * {@code retry} and the like end it. {@code Task ... received} names a task that has not started
 * yet, and is that task's line alone. The line's time has no zone, so the record keeps the time
 * the line came.
 */
final class CeleryLines {

  private static final Pattern LINE = Pattern.compile(
      "\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}: (?<level>DEBUG|INFO|WARNING|ERROR|CRITICAL)"
          + "/(?<process>[^\\]]+)\\] (?<message>.*)");

  /** What the worker says of a task: received, succeeded, raised, retry, rejected, ignored. */
  private static final Pattern TASK_EVENT = Pattern.compile("Task (?<name>[^\\s\\[]+)\\['?(?<id>[^\\]\\s']+)'?\\] (?<event>\\S+).*");

  /** A task's own logger: {@code app.render[<id>]: message}. */
  private static final Pattern TASK_LOGGER = Pattern.compile("(?<name>[^\\s\\[]+)\\[(?<id>[^\\]\\s]+)\\]: (?<message>.*)");

  private CeleryLines() {}

  /** A Celery worker's line, or null for a line of another format. */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata) {
    if (line.length() < 33 || line.charAt(0) != '[' || line.charAt(24) != ':') {
      return null;
    }
    Matcher matcher = LINE.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    Level level = Level.fromName(matcher.group("level"));
    metadata.put("process", matcher.group("process"));
    String message = matcher.group("message");
    Matcher event = TASK_EVENT.matcher(message);
    if (event.matches()) {
      metadata.put("task_name", event.group("name"));
      boolean received = event.group("event").equals("received");
      return new ChildLineParser.Parsed(level, message, event.group("id"), metadata, !received, null,
          received ? ChildLineParser.TaskScope.LINE : ChildLineParser.TaskScope.PROCESS);
    }
    Matcher logger = TASK_LOGGER.matcher(message);
    if (logger.matches()) {
      metadata.put("task_name", logger.group("name"));
      return new ChildLineParser.Parsed(level, logger.group("message"), logger.group("id"), metadata, false, null,
          ChildLineParser.TaskScope.PROCESS);
    }
    return new ChildLineParser.Parsed(level, message, null, metadata, false, null, ChildLineParser.TaskScope.PROCESS);
  }
}
