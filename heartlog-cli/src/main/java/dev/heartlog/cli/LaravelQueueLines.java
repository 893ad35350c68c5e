package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Laravel queue worker ({@code php artisan queue:work}) says of its jobs. Since Laravel 9,
 * a line as a job starts and one as it ends, the job's class, dots to the terminal's width, and
 * its status: {@code   2026-12-06 05:00:00 App\Jobs\RenderVideo ........ RUNNING}, then {@code
 * ... 1s DONE} or {@code ... 512.34ms FAIL}; with {@code -v}, the job's id after its class (since
 * Laravel 11 the worker's name, the connection and the queue after it). Up to Laravel 8, {@code
 * [2026-12-06 05:00:00][42] Processing: App\Jobs\RenderVideo}, then {@code Processed:} or {@code
 * Failed:}. A worker runs one job at a time, so a job with its id is the worker's current task
 * from its first line to its last, and the lines between (its logs, Laravel's report of its
 * exception) are its. The time has no zone, so the records keep the time the lines came.
 */
final class LaravelQueueLines {

  /** Laravel 9 and later: the time, the class, in verbose output the id and more, the dots, the run time, the status. */
  private static final Pattern LINE = Pattern.compile(
      "  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d (?<job>[A-Za-z_\\\\][\\w\\\\]{0,300})"
          + "(?: (?<id>[^\\s.][^\\s]{0,100})(?:  (?<worker>\\S{1,200}) (?<connection>\\S{1,100}) (?<queue>\\S{1,200}))?)?"
          + " \\.*(?: (?<runtime>[\\d.]+ms|\\d[\\dhms .]{0,30}[hms]))? (?<status>RUNNING|DONE|FAIL)");

  /** Laravel 8 and before: {@code [time][id] Processing: class}, the status padded to eleven. */
  private static final Pattern OLDER_LINE = Pattern.compile(
      "\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\]\\[(?<id>[^\\]\\s]{1,100})\\] "
          + "(?<status>Processing|Processed|Failed): +(?<job>\\S.{0,300})");

  private LaravelQueueLines() {}

  /**
   * A queue worker's line about a job: INFO as it starts and ends well, ERROR where it failed
   * (also an attempt Laravel will retry: it failed); the message without the time and the dots,
   * the class in {@code job_class}; the job's id, where the line gives it, the task, begun by the
   * first line and ended by the last. Null for any other line.
   */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata) {
    if (line.length() < 30) {
      return null;
    }
    if (line.charAt(0) == ' ' && line.charAt(1) == ' ' && line.charAt(6) == '-' && line.charAt(2) == '2') {
      Matcher matcher = LINE.matcher(line);
      if (!matcher.matches()) {
        return null;
      }
      String status = matcher.group("status");
      metadata.put("job_class", matcher.group("job"));
      putIfPresent(metadata, "queue_worker", matcher.group("worker"));
      putIfPresent(metadata, "connection", matcher.group("connection"));
      putIfPresent(metadata, "queue", matcher.group("queue"));
      putIfPresent(metadata, "run_time", matcher.group("runtime"));
      String runTime = matcher.group("runtime") == null ? "" : matcher.group("runtime") + " ";
      String message = matcher.group("job") + " " + runTime + status;
      String id = matcher.group("id");
      return new ChildLineParser.Parsed(status.equals("FAIL") ? Level.ERROR : Level.INFO, message, id, metadata,
          id != null && !status.equals("RUNNING"));
    }
    if (line.charAt(0) == '[' && line.charAt(20) == ']' && line.charAt(21) == '[') {
      Matcher matcher = OLDER_LINE.matcher(line);
      if (!matcher.matches()) {
        return null;
      }
      String status = matcher.group("status");
      metadata.put("job_class", matcher.group("job"));
      String message = status + ": " + matcher.group("job");
      return new ChildLineParser.Parsed(status.equals("Failed") ? Level.ERROR : Level.INFO, message, matcher.group("id"),
          metadata, !status.equals("Processing"));
    }
    return null;
  }

  private static void putIfPresent(RecordMetadata metadata, String key, String value) {
    if (value != null) {
      metadata.put(key, value);
    }
  }
}
