package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines of a Sidekiq worker ({@code sidekiq -r ./jobs.rb}), the job queue most Ruby workers
 * run on: {@code 2026-12-03T12:57:24.682Z pid=31924 tid=o0s class=RenderJob
 * jid=82c35a7b41283fc58f4b7833 INFO: rendering shot 1}, on stdout.
 *
 * <p>Each line's time, level and message are read, its thread goes into {@code process} and its
 * job's class into {@code job_class}. A worker runs several jobs at once, one a thread, so a
 * line's job is its thread's ({@link ChildLineParser.TaskScope#PROCESS}): the job's id
 * ({@code jid}) is the task, and the job's last line ({@code elapsed=0.4 INFO: done}, or {@code
 * fail}) ends it. Sidekiq logs a job's failure at INFO ({@code fail}) and the exception after it
 * at WARN, outside the job: the {@code fail} line is recorded as an ERROR, so that the task
 * shows failed.
 */
final class SidekiqLines {

  private static final Pattern LINE = Pattern.compile(
      "(?<time>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z) pid=(?<pid>\\d{1,10}) tid=(?<tid>\\w{1,32})"
          + "(?<context>(?: [a-z_]{1,32}=\\S{1,200})*) (?<level>DEBUG|INFO|WARN|ERROR|FATAL|UNKNOWN): (?<message>.*)");

  /** A pair of the job's context: {@code class=RenderJob}, {@code jid=...}, {@code elapsed=0.4}. */
  private static final Pattern PAIR = Pattern.compile(" (?<key>[a-z_]+)=(?<value>\\S+)");

  private SidekiqLines() {}

  /** A Sidekiq worker's line, or null for a line of another format. */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata) {
    if (line.length() < 40 || line.charAt(10) != 'T' || line.charAt(23) != 'Z' || !line.startsWith(" pid=", 24)) {
      return null;
    }
    Matcher matcher = LINE.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    metadata.put("process", matcher.group("tid"));
    metadata.put("pid", Long.parseLong(matcher.group("pid")));
    String job = null;
    boolean ended = false;
    Matcher pair = PAIR.matcher(matcher.group("context"));
    while (pair.find()) {
      String value = pair.group("value");
      switch (pair.group("key")) {
        case "jid" -> job = value;
        case "class" -> metadata.put("job_class", value);
        case "elapsed" -> {
          ended = true;   // the job's last line: done, or fail
          metadata.put("elapsed_s", elapsedSeconds(value));
        }
        default -> metadata.put(pair.group("key"), value);
      }
    }
    String message = matcher.group("message");
    Level level = switch (matcher.group("level")) {
      case "DEBUG" -> Level.DEBUG;
      case "INFO" -> ended && message.equals("fail") ? Level.ERROR : Level.INFO;
      case "WARN" -> Level.WARNING;
      case "ERROR" -> Level.ERROR;
      default -> Level.CRITICAL;
    };
    Instant time = IsoTime.parse(matcher.group("time"));
    return new ChildLineParser.Parsed(level, message, job, metadata, ended, time, ChildLineParser.TaskScope.PROCESS);
  }

  private static Object elapsedSeconds(String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException notANumber) {
      return value;
    }
  }
}
