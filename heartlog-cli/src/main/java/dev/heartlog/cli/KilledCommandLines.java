package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A shell's report, on stderr, of a command that a signal ended, as a worker's start script runs
 * its worker ({@code python3 worker.py} in a script that goes on to clean up): bash writes {@code
 * start.sh: line 3: 19867 Killed                  python3 worker.py}, the script's name, the line,
 * the process id, the signal's description padded to 24 characters and the command; dash (Debian's
 * {@code sh}) writes the description alone ({@code Killed}, {@code Segmentation fault (core
 * dumped)}). Each was a warning, though a crash or the kernel's out-of-memory killer (what
 * {@code Killed} most often is in a container) ended the worker's command.
 *
 * <p>A signal that crashes or kills a program (SIGSEGV, SIGKILL, SIGABRT, SIGBUS, SIGFPE, SIGILL,
 * SIGTRAP, SIGSYS, SIGXCPU, SIGXFSZ) is an ERROR; one that asks it to end (SIGTERM, SIGHUP,
 * SIGQUIT, SIGUSR1, ...) a warning. The message is the line as the shell wrote it; the metadata
 * names the {@code signal}, and for bash's form the {@code pid}, the {@code command} and the
 * script ({@code component}; not on the line of a pipeline's command below its first); {@code
 * core_dumped} when a core was written.
 */
final class KilledCommandLines {

  /** glibc's descriptions of the signals that end a process, what the shells print: SIGKILL's "Killed". */
  private static final Map<String, String> SIGNALS = Map.ofEntries(
      Map.entry("Hangup", "SIGHUP"),
      Map.entry("Quit", "SIGQUIT"),
      Map.entry("Illegal instruction", "SIGILL"),
      Map.entry("Trace/breakpoint trap", "SIGTRAP"),
      Map.entry("Aborted", "SIGABRT"),
      Map.entry("Bus error", "SIGBUS"),
      Map.entry("Floating point exception", "SIGFPE"),
      Map.entry("Killed", "SIGKILL"),
      Map.entry("User defined signal 1", "SIGUSR1"),
      Map.entry("Segmentation fault", "SIGSEGV"),
      Map.entry("User defined signal 2", "SIGUSR2"),
      Map.entry("Alarm clock", "SIGALRM"),
      Map.entry("Terminated", "SIGTERM"),
      Map.entry("CPU time limit exceeded", "SIGXCPU"),
      Map.entry("File size limit exceeded", "SIGXFSZ"),
      Map.entry("Virtual timer expired", "SIGVTALRM"),
      Map.entry("Profiling timer expired", "SIGPROF"),
      Map.entry("Bad system call", "SIGSYS"));

  /** The signals that crash or kill a program, rather than ask it to end. */
  private static final Set<String> CRASHES = Set.of("SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS",
      "SIGFPE", "SIGKILL", "SIGSEGV", "SIGXCPU", "SIGXFSZ", "SIGSYS");

  private static final String DESCRIPTIONS = String.join("|", SIGNALS.keySet().stream().map(Pattern::quote).toList());

  /**
   * A command's status in bash's report: a signal's description, or, for the other commands of a
   * pipeline one of whose was killed, {@code Done} or {@code Exit 3}.
   */
  private static final String STATUS = "(?<description>" + DESCRIPTIONS + "|Done|Exit \\d{1,3})";

  /**
   * bash's: {@code <name>: line <n>: <pid> <description padded to 24> [(core dumped) ]<command>}.
   * The padding leaves no space after a description of 24 characters ({@code Floating point
   * exceptionpython3 ...}).
   */
  private static final Pattern BASH = Pattern.compile("(?<name>[^:\\s][^:]{0,199}): line \\d+: +(?<pid>\\d{1,10}) "
      + STATUS + " *(?<core>\\(core dumped\\) ?)?(?<command>.*)");

  /**
   * bash's for a pipeline, each command below the first on a line of its own, indented to the
   * process id: {@code      18746 Killed                  | python3 worker.py}.
   */
  private static final Pattern BASH_PIPELINE = Pattern.compile(" +(?<pid>\\d{1,10}) " + STATUS
      + " *(?<core>\\(core dumped\\) ?)?\\| (?<command>.*)");

  /** What dash writes after a description when a core was written. */
  private static final String CORE_DUMPED = " (core dumped)";
  /** The longest line that is a description alone: the longest description and {@link #CORE_DUMPED}. */
  private static final int LONGEST_ALONE = SIGNALS.keySet().stream().mapToInt(String::length).max().orElse(0)
      + CORE_DUMPED.length();

  private KilledCommandLines() {}

  /**
   * A shell's report of a command a signal ended, at ERROR for a crash and WARNING else (the other
   * commands of its pipeline: INFO for {@code Done}, WARNING for {@code Exit 3}); null for any
   * other line. The description alone is read so on stderr only, where the shell writes it.
   */
  static ChildLineParser.Parsed parse(String line, String stream, RecordMetadata metadata) {
    String alone = "stderr".equals(stream) ? signalAlone(line) : null;
    if (alone != null) {
      metadata.put("signal", alone);
      if (line.endsWith(CORE_DUMPED)) {
        metadata.put("core_dumped", true);
      }
      return new ChildLineParser.Parsed(levelOf(alone), line, null, metadata, false);
    }
    Matcher matcher = bashReport(line);
    if (matcher == null) {
      return null;
    }
    String description = matcher.group("description");
    String signal = SIGNALS.get(description);
    if (signal != null) {
      metadata.put("signal", signal);
    } else if (description.startsWith("Exit ")) {
      metadata.put("exit_code", Integer.parseInt(description.substring("Exit ".length())));
    }
    if (matcher.pattern() == BASH) {
      metadata.put("component", matcher.group("name"));
    }
    metadata.put("pid", Long.parseLong(matcher.group("pid")));
    metadata.put("command", matcher.group("command").strip());
    if (matcher.group("core") != null) {
      metadata.put("core_dumped", true);
    }
    Level level = signal != null ? levelOf(signal) : description.equals("Done") ? Level.INFO : Level.WARNING;
    return new ChildLineParser.Parsed(level, line, null, metadata, false);
  }

  private static Level levelOf(String signal) {
    return CRASHES.contains(signal) ? Level.ERROR : Level.WARNING;
  }

  /**
   * The signal of a line that is a description alone ({@code Killed}, {@code Aborted (core
   * dumped)}), looked up without a regular expression: many of a worker's lines on stderr begin
   * with a capital letter, and none of them should pay for one. Null for any other line.
   */
  private static String signalAlone(String line) {
    if (line.isEmpty() || line.length() > LONGEST_ALONE || !Character.isUpperCase(line.charAt(0))) {
      return null;
    }
    return SIGNALS.get(line.endsWith(CORE_DUMPED) ? line.substring(0, line.length() - CORE_DUMPED.length()) : line);
  }

  /** The line matched in the form of bash's report it is in; null where it is in none. */
  private static Matcher bashReport(String line) {
    if (line.contains(": line ")) {
      Matcher bash = BASH.matcher(line);
      if (bash.matches()) {
        return bash;
      }
    }
    if (!line.isEmpty() && line.charAt(0) == ' ' && line.contains(" | ")) {
      Matcher pipeline = BASH_PIPELINE.matcher(line);
      if (pipeline.matches()) {
        return pipeline;
      }
    }
    return null;
  }

  /**
   * The signal a shell reported ending a command ({@code SIGKILL}), where {@code parsed} is such a
   * report; null for any other record (a JSON line's own {@code signal} field among them).
   */
  static String reportedSignal(ChildLineParser.Parsed parsed) {
    return parsed.metadata().get("signal") instanceof String signal
        && parse(parsed.message(), "stderr", new RecordMetadata(4)) != null ? signal : null;
  }

  /**
   * The report of a kill the kernel's out-of-memory killer made: what {@link
   * OutOfMemoryKills#sinceLastAsked()} said added to its message, and {@code oom_killed}, as the
   * record of a worker killed so has.
   */
  static ChildLineParser.Parsed byOutOfMemoryKiller(ChildLineParser.Parsed report, String said) {
    report.metadata().put("oom_killed", true);
    return new ChildLineParser.Parsed(report.level(), report.message() + said, null, report.metadata(), false);
  }
}
