package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.cli.ChildLineParser.Parsed;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * foreman's and honcho's reports of the processes of the Procfile they run, which they print as
 * plain lines among the processes' own: foreman's on the process's line ({@code 18:11:30 worker.1
 * | exited with code 3}, {@code terminated by SIGKILL}), honcho's on its own ({@code 18:11:30
 * system | worker.1 stopped (rc=3)}). Either runner stops every process once one ends. A process
 * that ends before the runner began stopping them (it says so: {@code sending SIGTERM to all
 * processes}, honcho's {@code sending SIGTERM to web.1 (pid 8041)}, or that it was sent a signal
 * itself, {@code SIGTERM received}) ended the whole Procfile, and where it ended with a code other
 * than 0 or by a signal, it failed: an ERROR. Before, each was INFO, and foreman exits 0 after a
 * process it runs was killed (the kernel's SIGKILL when memory ran out), so nothing said that one
 * failed. The runner's {@code sending SIGKILL ...}, a process that would not stop when asked, is
 * a warning; the exits the runner's stop caused stay INFO.
 */
final class ProcfileReports {

  /** foreman's report that it started a process, on the process's line. */
  private static final Pattern FOREMAN_STARTED = Pattern.compile("started with pid \\d{1,10}");

  /** foreman's report that a process ended, on the process's line: its code, or the signal that ended it. */
  private static final Pattern FOREMAN_END = Pattern.compile(
      "exited with code (?<code>\\d{1,5})|terminated by (?<signal>SIG[A-Z0-9]{1,10})");

  /** honcho's report that a process ended, on its own line: a signal as a negative code, as Python gives it. */
  private static final Pattern HONCHO_END = Pattern.compile(
      "(?<process>[\\w-]{1,100}\\.\\d{1,4}) stopped \\(rc=(?<code>-?\\d{1,5})\\)");

  /** The runner's report that it stops its processes, or kills those that did not stop. */
  private static final Pattern STOPPING = Pattern.compile(
      "sending SIG(?<signal>[A-Z0-9]{1,10}) to .{1,200}|SIG[A-Z0-9]{1,10} received.{0,100}");

  /** honcho's report that it started a process, on its own line. */
  private static final Pattern HONCHO_STARTED = Pattern.compile("[\\w-]{1,100}\\.\\d{1,4} started \\(pid=\\d{1,10}\\)");

  /**
   * Whether the text of {@code line} from {@code from} on is foreman's report that it started the
   * process the line names ({@code started with pid 8039}).
   */
  static boolean isForemanStart(String line, int from) {
    return FOREMAN_STARTED.matcher(line).region(from, line.length()).matches();
  }

  /**
   * Whether the text of {@code line} from {@code from} on is foreman's report of the process the
   * line names: that it started, exited or was ended by a signal.
   */
  static boolean isForemanReport(String line, int from) {
    return isForemanStart(line, from) || FOREMAN_END.matcher(line).region(from, line.length()).matches();
  }

  /** Whether the runner began stopping its processes, since it last started one. */
  private boolean stopping;

  /**
   * The record of a plain line of the runner's own ({@code process} {@code system}) or of its
   * report on a process's line: at the level its report calls for, the process honcho's report
   * names in {@code program}; the line as it was for any other.
   */
  Parsed read(String process, Parsed line) {
    String message = line.message();
    if (process.equals("system") ? HONCHO_STARTED.matcher(message).matches() : isForemanStart(message, 0)) {
      stopping = false;
      return line;
    }
    boolean failed;
    if (process.equals("system")) {
      Matcher stop = STOPPING.matcher(message);
      if (stop.matches()) {
        stopping = true;
        return "KILL".equals(stop.group("signal")) ? atLevel(line, Level.WARNING) : line;
      }
      Matcher honcho = HONCHO_END.matcher(message);
      if (!honcho.matches()) {
        return line;
      }
      line.metadata().put("program", honcho.group("process"));
      failed = !honcho.group("code").equals("0");
    } else {
      Matcher foreman = FOREMAN_END.matcher(message);
      if (!foreman.matches()) {
        return line;
      }
      failed = foreman.group("signal") != null || !foreman.group("code").equals("0");
    }
    // An end the runner's stop caused is no failure of the process's own.
    return failed && !stopping ? atLevel(line, Level.ERROR) : line;
  }

  private static Parsed atLevel(Parsed line, Level level) {
    return new Parsed(level, line.message(), line.task(), line.metadata(), line.endsTask(), line.time(), line.scope(),
        false, true);
  }
}
