package dev.heartlog.cli;

import dev.heartlog.agent.RecordMetadata;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How heartlog run records its worker's exit: the message and metadata of the exit's record,
 * whether the exit was the stop it was asked for, and the exit code of a command that could not
 * start.
 */
final class WorkerExit {

  private WorkerExit() {}

  /**
   * A traceback or stack trace the worker printed, the task it was recorded in, and when ({@link
   * System#nanoTime()}).
   */
  record LastException(String task, String exception, long atNanos) {

    /**
     * Whether it says why a worker that exits now in {@code task} died: it was recorded in that
     * task, or in none just before ({@link WorkerLines#LAST_WORDS_WINDOW}). stderr is read apart
     * from stdout: a crash printed after the line that named its task may be read, and recorded,
     * before it.
     */
    boolean explains(String task) {
      return Objects.equals(this.task, task)
          || this.task == null && System.nanoTime() - atNanos <= WorkerLines.LAST_WORDS_WINDOW.toNanos();
    }
  }

  /** A shell's report of a command a signal ended ({@code SIGKILL}), and when it was read ({@link System#nanoTime()}). */
  record KilledCommand(String signal, String report, long atNanos) {}

  /**
   * The metadata of the record of a worker that exited with {@code exitCode}. When the last
   * traceback it printed at ERROR or worse {@linkplain LastException#explains explains} the exit
   * in the task it dies in, that traceback is the record's {@code exception} too: a task's failure
   * is its last error, this record, and it should say why (an uncaught exception's traceback comes
   * just before the exit). Without one, the lines it printed on stderr just before it exited
   * ({@code stderrTail}) say why instead.
   */
  static Map<String, Object> metadata(int exitCode, List<String> command, LastException last, String currentTask,
      String stderrTail) {
    return metadata(exitCode, command, last, currentTask, stderrTail, false);
  }

  /** As above; {@code outOfMemory}: the kernel's out-of-memory killer ended it ({@code oom_killed}). */
  static Map<String, Object> metadata(int exitCode, List<String> command, LastException last, String currentTask,
      String stderrTail, boolean outOfMemory) {
    RecordMetadata metadata = new RecordMetadata(5);
    metadata.put("logger", RunCommand.OWN_LOGGER);
    metadata.put("exit_code", exitCode);
    if (outOfMemory) {
      metadata.put("oom_killed", true);
    }
    metadata.put("command", String.join(" ", command));
    if (last != null && last.explains(currentTask)) {
      metadata.put("exception", last.exception());
    } else if (stderrTail != null) {
      metadata.put("exception", stderrTail);
    }
    return metadata;
  }

  /**
   * Whether a worker that exited with {@code exitCode} stopped as it was asked: it exited
   * cleanly, or was ended by the SIGTERM or SIGINT passed on to it (the default for a program
   * that handles neither).
   */
  static boolean stoppedAsAsked(boolean stopRequested, int exitCode) {
    return exitCode == 0 || stopRequested && (exitCode == 128 + 15 || exitCode == 128 + 2);
  }

  /**
   * Why {@code program} could not start, in words that say what to do where the JDK's do not
   * ({@code Cannot run program "./worker.py": error=13, Permission denied}): a folder, a script
   * not made executable, a script whose {@code #!} names an interpreter this machine lacks (which
   * the kernel reports as the script itself missing). Else the JDK's message.
   */
  static String cannotStartReason(String program, IOException e) {
    String message = String.valueOf(e.getMessage());
    java.nio.file.Path path;
    try {
      path = java.nio.file.Path.of(program);
    } catch (java.nio.file.InvalidPathException notAPath) {
      return message;
    }
    boolean named = program.contains("/");   // else the PATH was searched
    if (named && java.nio.file.Files.isDirectory(path)) {
      return "it is a folder, not a program";
    }
    if (named && message.contains("error=13,") && java.nio.file.Files.isRegularFile(path)
        && !java.nio.file.Files.isExecutable(path)) {
      return "it is not executable: chmod +x " + program + ", or give its interpreter first (python3 " + program
          + ", sh " + program + ")";
    }
    if (named && message.contains("error=2,") && java.nio.file.Files.isRegularFile(path)) {
      String interpreter = interpreter(path);
      if (interpreter != null) {
        return "its #! line names " + interpreter + ", which this machine lacks: install it, or give another "
            + "interpreter first";
      }
    }
    if (!named && message.contains("error=2,")) {
      return "no such program on the PATH";
    }
    return message;
  }

  /** The interpreter a script's {@code #!} line names, or null. */
  private static String interpreter(java.nio.file.Path script) {
    try (java.io.BufferedReader reader = java.nio.file.Files.newBufferedReader(script,
        java.nio.charset.StandardCharsets.ISO_8859_1)) {
      String first = reader.readLine();
      if (first == null || !first.startsWith("#!")) {
        return null;
      }
      String rest = first.substring(2).strip();
      int space = rest.indexOf(' ');
      return rest.isEmpty() ? null : space < 0 ? rest : rest.substring(0, space);
    } catch (IOException unreadable) {
      return null;
    }
  }

  /**
   * A shell's exit code for a command it could not run, as {@code env}, {@code nohup} and {@code
   * timeout} give it too: 127 when there is no such program, 126 when it cannot be run.
   */
  static int cannotStartCode(IOException e) {
    String message = String.valueOf(e.getMessage());
    return message.contains("error=2,") ? 127 : 126;
  }

  /** Linux's names of the signals 1 to 15, those a worker is killed by. */
  private static final List<String> SIGNALS = List.of("HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
      "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM");

  /** The name of signal {@code number}, 1 to 15 ({@code INT} for 2). */
  static String signalName(int number) {
    return SIGNALS.get(number - 1);
  }

  /** The number of the signal {@code name} ({@code INT}: 2), one of Linux's first 15. */
  static int signalNumber(String name) {
    return SIGNALS.indexOf(name) + 1;
  }

  /**
   * As {@link #describe(int)}; where the worker's shell reported just before that a command it
   * ran was ended by the signal its exit code names ({@code killed}), the shell exited with that
   * command's code and was not killed itself: the message says so, with the shell's report.
   */
  static String describe(int exitCode, KilledCommand killed) {
    int signal = exitCode - 128;
    if (killed != null && signal >= 1 && signal <= SIGNALS.size() && killed.signal().equals("SIG" + signalName(signal))) {
      return "the worker process exited with code " + exitCode + ": a command it ran was killed by signal " + signal
          + " (" + killed.signal() + ") (" + killed.report() + ")";
    }
    return describe(exitCode);
  }

  /** The exit's record's message: the exit code, or the signal that killed the worker. */
  static String describe(int exitCode) {
    if (exitCode > 128 && exitCode < 160) {
      int signal = exitCode - 128;
      String name = signal <= SIGNALS.size() ? " (SIG" + SIGNALS.get(signal - 1) + ")" : "";
      return "the worker process was killed by signal " + signal + name + " (exit code " + exitCode + ")";
    }
    return "the worker process exited with code " + exitCode;
  }
}
