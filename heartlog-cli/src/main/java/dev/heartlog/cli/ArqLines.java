package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an arq worker ({@code arq jobs.WorkerSettings}, Python's asyncio job queue on Redis) says
 * of its jobs. arq logs a line as a job starts, {@code 0.12s → 9b1c2d3e:render(12)} (the seconds
 * it waited in the queue, the job's id, its function and arguments), and one as it ends: {@code
 * 0.45s ← 9b1c2d3e:render ● 42} when it returned, {@code 0.45s ! 9b1c2d3e:render failed,
 * RuntimeError: CUDA out of memory} with the traceback below it when it raised, {@code ↻ ...
 * retrying job in 5.00s} or {@code cancelled, will be run again} when it will run again, {@code ⊘
 * ... aborted} when it was aborted; {@code ! ... max retries 5 exceeded} when it will not run.
 *
 * <p>The job's id is the task of those lines. A start makes it the worker's current task, so the
 * job's own loggers and prints are its, until its end. arq runs up to {@code max_jobs} jobs at
 * once (10 unless set), and a line does not say whose it is: while two run, a line is filed
 * under the one that started last, and when that one ends, under the one begun last of those
 * still running ({@link ChildLineParser.TaskScope#CONCURRENT}); with {@code max_jobs = 1} each
 * line's job is exact. A cron
 * job's line names no id ({@code cron:nightly}, or the name it was given): its runs share that
 * name as their task.
 *
 * <p>arq's own format, {@code %(asctime)s: %(message)s} with the time as {@code HH:MM:SS}, names
 * no level (arq logs on stderr, where every line was a warning): a job's lines are INFO, its
 * failure an ERROR, as arq logs them, and so is the line of a job out of tries, which arq logs as
 * a warning, so that the job shows failed; an abort is a WARNING (arq's INFO). The worker's
 * lines about itself that arq logs at INFO are INFO; its other lines are left as they are. In a
 * format that names the level and the logger ({@code arq.worker}), the level is the line's.
 */
final class ArqLines {

  /**
   * A job's line, after its time: the seconds with two decimals, padded to six, a sign, and the
   * job's reference ({@code <job id>:<function>}).
   */
  private static final Pattern JOB_LINE = Pattern.compile(
      " *(?<seconds>\\d+\\.\\d\\d)s (?:→ (?<started>[^\\s(]+)\\(.*\\)(?: try=(?<try>\\d+))?(?: delayed=\\d+\\.\\d\\ds)?"
          + "|← (?<returned>\\S+) ●(?: .*)?"
          + "|! (?<failed>\\S+) failed, .*"
          + "|! (?<outOfTries>\\S+) max retries \\d+ exceeded"
          + "|↻ (?<retried>\\S+) (?:retrying job in \\d+\\.\\d\\ds|cancelled, will be run again)"
          + "|⊘ (?<aborted>\\S+) aborted(?: before start)?)");

  /** The worker's lines about itself that arq logs at INFO. */
  private static final Pattern WORKER_INFO = Pattern.compile(
      "(?:Starting worker for \\d+ functions?: |redis_version=|recording health: |shutdown on [A-Z]+|"
          + "Setting allow_pick_jobs to ).*");

  private ArqLines() {}

  /** A line in arq's own format about a job or about the worker, or null for any other line. */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata) {
    if (line.length() < 14 || line.charAt(2) != ':' || line.charAt(5) != ':' || line.charAt(8) != ':'
        || line.charAt(9) != ' ') {
      return null;
    }
    String message = line.substring(10);
    Matcher job = JOB_LINE.matcher(message);
    if (job.matches()) {
      Level level = job.group("failed") != null || job.group("outOfTries") != null ? Level.ERROR
          : job.group("aborted") != null ? Level.WARNING : Level.INFO;
      return jobLine(job, level, message.strip(), metadata, null);
    }
    if (WORKER_INFO.matcher(message).matches()) {
      return new ChildLineParser.Parsed(Level.INFO, message, null, metadata, false);
    }
    return null;
  }

  /**
   * A line another reader read ({@link PythonLoggingLines}): where its logger is arq's worker and
   * it is about a job, the same line with the job as its task; else the line as it was.
   */
  static ChildLineParser.Parsed withJob(ChildLineParser.Parsed line) {
    if (!"arq.worker".equals(line.metadata().get("logger"))) {
      return line;
    }
    Matcher job = JOB_LINE.matcher(line.message());
    if (!job.matches()) {
      return line;
    }
    return jobLine(job, line.level(), line.message().strip(), line.metadata(), line);
  }

  private static ChildLineParser.Parsed jobLine(Matcher job, Level level, String message, Map<String, Object> metadata,
      ChildLineParser.Parsed read) {
    String started = job.group("started");
    String reference = started;
    for (String end : new String[] {"returned", "failed", "outOfTries", "retried", "aborted"}) {
      if (reference == null) {
        reference = job.group(end);
      }
    }
    int functionStart = reference.lastIndexOf(':');
    boolean cron = functionStart < 0 || reference.startsWith("cron:") && functionStart == 4;
    String task = cron ? reference : reference.substring(0, functionStart);
    metadata.put("function", cron ? reference : reference.substring(functionStart + 1));
    boolean sinceQueued = started != null || job.group("outOfTries") != null || message.endsWith(" before start");
    metadata.put(sinceQueued ? "queued_s" : "elapsed_s", Double.parseDouble(job.group("seconds")));
    if (job.group("try") != null) {
      metadata.put("try", Integer.parseInt(job.group("try")));
    }
    boolean ends = started == null;
    if (read == null) {
      return new ChildLineParser.Parsed(level, message, task, metadata, ends, null, ChildLineParser.TaskScope.CONCURRENT);
    }
    return new ChildLineParser.Parsed(level, message, task, metadata, ends, read.time(), ChildLineParser.TaskScope.CONCURRENT,
        read.plain(), read.ownLevel(), read.levelByShape());
  }
}
