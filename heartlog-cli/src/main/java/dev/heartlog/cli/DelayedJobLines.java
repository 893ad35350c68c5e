package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Delayed Job worker (Ruby's database-backed job queue, {@code rake jobs:work}) says of
 * its jobs, through whatever logger it was given: {@code 2026-12-03T15:09:30+0000:
 * [Worker(host:vm pid:20663)] Job RenderJob (id=2) FAILED (0 prior attempts) with ArgumentError:
 * bad frame 13}; with Ruby's {@code Logger}, after its prefix ({@link RubyLoggerLines}).
 *
 * <p>The worker's name goes into {@code process} and a job's class into {@code job_class}. A
 * worker runs one job at a time, and the job's id is the task of that worker's lines ({@link
 * ChildLineParser.TaskScope#PROCESS}) from its {@code RUNNING} line to its {@code COMPLETED} or
 * {@code FAILED} one; the job's own lines in between, which name no worker, are the task's as
 * the worker's current one. A {@code FAILED} line is an ERROR.
 */
final class DelayedJobLines {

  /** What the worker says: its time (no fraction), its name, what it says. */
  private static final Pattern SAID = Pattern.compile(
      "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[+-]\\d{4}: \\[Worker\\((?<worker>[^()]{1,200})\\)\\] (?<said>.*)");

  /** Of a job: its name, its id, its queue where it has one, and what became of it. */
  private static final Pattern JOB = Pattern.compile(
      "Job (?<job>.{1,200}?) \\(id=(?<id>[^()\\s]{1,64})\\)(?: \\(queue=[^()]{0,100}\\))? (?<state>RUNNING|COMPLETED|FAILED)(?: .*)?");

  private DelayedJobLines() {}

  /**
   * A line the worker's logger wrote as its message alone (a Rails logger's): INFO, an ERROR for a
   * {@code FAILED} job, as {@link #within}. Null for any other line.
   */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.length() < 40 || line.charAt(10) != 'T' || !line.startsWith(": [Worker(", 24)) {
      return null;
    }
    ChildLineParser.Parsed plain = new ChildLineParser.Parsed(Level.INFO, line, null, metadata, endsTask.test(line));
    ChildLineParser.Parsed read = within(plain);
    return read == plain ? null : read;
  }

  /**
   * The record another reader made of a line (Ruby's {@code Logger}'s), read again where its
   * message is the worker's: the message without the worker's time and name, the worker in
   * {@code process}, and for a job's line its id as the task and its class in {@code job_class};
   * the record as it was for any other.
   */
  static ChildLineParser.Parsed within(ChildLineParser.Parsed parsed) {
    String message = parsed.message();
    if (message.length() < 40 || message.charAt(10) != 'T' || !message.startsWith(": [Worker(", 24)) {
      return parsed;
    }
    Matcher said = SAID.matcher(message);
    if (!said.matches()) {
      return parsed;
    }
    RecordMetadata metadata = new RecordMetadata(parsed.metadata().size() + 2);
    metadata.putAll(parsed.metadata());
    metadata.put("process", said.group("worker"));
    String text = said.group("said");
    Matcher job = JOB.matcher(text);
    if (!job.matches()) {
      return new ChildLineParser.Parsed(parsed.level(), text, null, metadata, false, parsed.time(),
          ChildLineParser.TaskScope.PROCESS);
    }
    metadata.put("job_class", job.group("job"));
    String state = job.group("state");
    Level level = state.equals("FAILED") && !parsed.level().isAtLeast(Level.ERROR) ? Level.ERROR : parsed.level();
    return new ChildLineParser.Parsed(level, text, job.group("id"), metadata, !state.equals("RUNNING"), parsed.time(),
        ChildLineParser.TaskScope.PROCESS);
  }
}
