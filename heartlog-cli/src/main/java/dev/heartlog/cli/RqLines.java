package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an RQ worker ({@code rq worker}, Python's job queue on Redis) says of its jobs: {@code
 * 07:11:55 default: jobs.render(1) (<job id>)} as it starts one, {@code 07:11:55 default: Job OK
 * (<job id>)} when it is done, and {@code 07:11:56 [Job <job id>]: exception raised while
 * executing (jobs.render)} when it failed, with the traceback below it. A worker runs one job at a
 * time, so a job is the worker's current task from its first line to its last, and the lines
 * between (the job's own loggers and prints) are its. The failure's line is an ERROR (RQ logs it
 * so, without printing the level), so the traceback joins it. The lines' time has no date or
 * zone, so the records keep the time the lines came. The worker's other lines are left as they
 * are.
 */
final class RqLines {

  private static final Pattern JOB_LINE = Pattern.compile(
      "\\d\\d:\\d\\d:\\d\\d (?:(?<queue>[\\w.:-]+): (?:Job OK \\((?<done>[^()\\s]+)\\)|(?<job>\\S.*\\)) \\((?<started>[^()\\s]+)\\))"
          + "|\\[Job (?<failed>[^\\]\\s]+)\\]: exception raised while executing \\((?<function>.*)\\))");

  private RqLines() {}

  /** An RQ worker's line about a job, or null for any other line. */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata) {
    if (line.length() < 20 || line.charAt(2) != ':' || line.charAt(5) != ':' || line.charAt(8) != ' ') {
      return null;
    }
    Matcher matcher = JOB_LINE.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    String message = line.substring(9);
    if (matcher.group("failed") != null) {
      metadata.put("function", matcher.group("function"));
      return new ChildLineParser.Parsed(Level.ERROR, message, matcher.group("failed"), metadata, true);
    }
    metadata.put("queue", matcher.group("queue"));
    if (matcher.group("done") != null) {
      return new ChildLineParser.Parsed(Level.INFO, message, matcher.group("done"), metadata, true);
    }
    metadata.put("job", matcher.group("job"));
    return new ChildLineParser.Parsed(Level.INFO, message, matcher.group("started"), metadata, false);
  }
}
