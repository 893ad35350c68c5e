package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The errors a worker's start script reports on stderr: the shell's own, and those of the
 * programs it runs, as C programs write them. Each was a warning, as any stderr line naming no
 * level, so {@code heartlog logs --level error} did not show the {@code command not found} or the
 * {@code No space left on device} that broke the worker.
 *
 * <ul>
 *   <li>bash's, after the script's name and line: {@code ./entrypoint.sh: line 3: ffmpegg:
 *       command not found}, {@code ... line 9: MODEL: unbound variable}, {@code ... line 7:
 *       syntax error near unexpected token `fi'}; for {@code bash -c}, {@code bash: line 1: ...}
 *       or {@code bash: MODEL: unbound variable}.
 *   <li>dash's (Debian's {@code sh}, and what Python's {@code subprocess.run(..., shell=True)}
 *       runs), after the script's name and line: {@code /bin/sh: 1: ffmpegg: not found}, {@code
 *       ./start.sh: 5: cd: can't cd to /data}.
 *   <li>A program's failed call, its name first and the system's description of the error last:
 *       {@code cp: cannot stat '/models/x.bin': No such file or directory}, {@code mkdir: cannot
 *       create directory '/data/out': No space left on device}, {@code python3: can't open file
 *       '/srv/worker.py': [Errno 2] No such file or directory}. tar's ({@code tar: out.tar: Cannot
 *       write: No space left on device}) are read first by {@link ArchiveLines}, with the lines
 *       tar prints after them.
 *   <li>Python's refusal to run what it was given: {@code /usr/bin/python3: No module named
 *       worker}, after {@code python3 -m worker} ({@link #pythonThatCannotStart}).
 * </ul>
 *
 * These are ERRORs; bash's {@code warning: ...} and a test's error ({@code [: x: unexpected
 * operator}, after which the script goes on) WARNINGs. The message is the line as printed, and
 * {@code component} the script's name as the shell printed it, or the program's name without its
 * folder. A command not found is named in {@code command}. Not read so: a shell's notes that it
 * has no terminal ({@code bash: no job control in this shell}), and {@code Inappropriate ioctl for
 * device}, which a login script's {@code mesg n} prints in every container; a killed command's
 * report is {@link KilledCommandLines}'.
 */
final class ShellErrorLines {

  /** bash's: {@code <name>: line <n>: <message>}, the name a script's path or a shell's. */
  private static final Pattern BASH = Pattern.compile("(?<name>[^:\\s]{1,200}): line \\d{1,9}: (?<message>.+)");
  /** dash's: {@code <name>: <n>: <message>}. */
  private static final Pattern DASH = Pattern.compile("(?<name>[^:\\s]{1,200}): \\d{1,9}: (?<message>.+)");
  /** bash's with no line, as {@code bash -c} prints some: {@code bash: MODEL: unbound variable}. */
  private static final Pattern NO_LINE = Pattern.compile("(?<name>[^:\\s]{1,20}): (?<message>.+)");
  /** The command of a message saying it was not found: bash's, dash's, and {@code exec}'s. */
  private static final Pattern NOT_FOUND = Pattern.compile("(?:exec: )?(?<command>[^:]{1,200}): (?:command )?not found");
  /** The names a shell prints its errors under when it runs no script ({@code sh -c}, {@code bash -c}). */
  private static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "/bin/sh", "/bin/bash", "/bin/dash",
      "/usr/bin/sh", "/usr/bin/bash", "/usr/bin/dash");
  /** The longest of {@link #SHELLS}. */
  private static final int LONGEST_SHELL = SHELLS.stream().mapToInt(String::length).max().orElse(0);
  /** What bash says when it runs with {@code -i} and no terminal: said in many containers, and harmless. */
  private static final String NO_JOB_CONTROL = "bash: no job control in this shell";
  /** The same, the line before it: {@code bash: cannot set terminal process group (19933): Inappropriate ioctl for device}. */
  private static final String NO_TERMINAL = "bash: cannot set terminal process group (";

  /**
   * glibc's descriptions of the errors a failed call reports ({@code strerror}), the last words of
   * a program's error: those that say something went wrong. Not {@code Broken pipe}, which a
   * command before {@code | head} says when {@code head} has read enough, nor {@code No such
   * process}, which a script's {@code kill} of a process that already ended says.
   */
  private static final Set<String> SYSTEM_ERRORS = Set.of(
      "No such file or directory", "No such file", "Permission denied", "Operation not permitted",
      "No space left on device", "Disk quota exceeded", "Read-only file system", "Is a directory",
      "Not a directory", "File exists", "Directory not empty", "Too many open files",
      "Cannot allocate memory", "Input/output error", "Connection refused", "Connection timed out",
      "Connection reset by peer", "No route to host", "Network is unreachable",
      "Name or service not known", "Temporary failure in name resolution", "Text file busy",
      "Argument list too long", "Exec format error", "Too many levels of symbolic links",
      "File name too long", "Device or resource busy", "No such device", "Invalid argument",
      "Bad file descriptor", "Resource temporarily unavailable", "Stale file handle");
  /** The name of Python's interpreter: {@code python}, {@code python3}, {@code python3.11}. */
  private static final Pattern PYTHON = Pattern.compile("python[0-9.]*");
  /** What Python says when it cannot run what it was given, after its own path. */
  private static final List<String> PYTHON_REFUSALS = List.of("No module named ",
      "Error while finding module specification for ", "can't find '__main__' module in ");
  /**
   * Go's descriptions of the same errors ({@code syscall.Errno}'s, in lower case), and its
   * network's: what a Go program's error ends with ({@code open /models/x.bin: no such file or
   * directory}, {@code dial tcp 10.0.0.3:5432: connect: connection refused}).
   */
  private static final Set<String> GO_SYSTEM_ERRORS = Stream.concat(
      SYSTEM_ERRORS.stream().filter(described -> !described.equals("No such file")).map(described -> described.toLowerCase(Locale.ROOT)),
      Stream.of("no such host", "i/o timeout")).collect(Collectors.toUnmodifiableSet());
  /** What Python prints before a description: the error's number ({@code [Errno 2] No such file or directory}). */
  private static final String ERROR_NUMBER = "[Errno ";
  /** The longest of {@link #SYSTEM_ERRORS}, and of {@link #GO_SYSTEM_ERRORS}. */
  private static final int LONGEST_SYSTEM_ERROR = SYSTEM_ERRORS.stream().mapToInt(String::length).max().orElse(0);

  private ShellErrorLines() {}

  /**
   * bash's syntax error on one stream and the source line it prints below it ({@code start.sh:
   * line 7: syntax error near unexpected token `fi'}, then {@code start.sh: line 7: `fi fi'}):
   * one record, where the source line was a warning of its own when it came in a read of its own.
   */
  static final class SyntaxErrors {
    private boolean lastWasSyntaxError;

    /** Whether this line is the source line of a syntax error read just before it; the next call says no until {@link #read} says yes. */
    boolean continues(String line) {
      boolean continues = lastWasSyntaxError && isSourceLine(line);
      lastWasSyntaxError = false;
      return continues;
    }

    /** A line read in no tool's form but its own ({@link ChildLineParser}): whether it is bash's syntax error. */
    boolean read(String line) {
      lastWasSyntaxError = line.contains(": syntax error near unexpected token `") && shellError(line) != null;
      return lastWasSyntaxError;
    }

    private static boolean isSourceLine(String line) {
      Matcher shell = shellError(line);
      return shell != null && shell.pattern() == BASH && isSource(shell.group("message"));
    }
  }

  /** Whether bash's message is the source line it prints below a syntax error: {@code `fi fi'}. */
  private static boolean isSource(String message) {
    return message.startsWith("`") && message.endsWith("'");
  }

  /** A shell's error or a program's failed call, an ERROR (bash's warning a WARNING); null for any other line. */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata) {
    if (line.equals(NO_JOB_CONTROL) || line.startsWith(NO_TERMINAL)) {
      return null;
    }
    Matcher shell = shellError(line);
    if (shell != null) {
      String message = shell.group("message");
      if (isSource(message)) {
        return null;   // more of the syntax error above it (SyntaxErrors)
      }
      metadata.put("component", shell.group("name"));
      Matcher notFound = NOT_FOUND.matcher(message);
      if (notFound.matches()) {
        metadata.put("command", notFound.group("command"));
      }
      return error(isWarning(message) ? Level.WARNING : Level.ERROR, line, metadata);
    }
    String program = failedCallsProgram(line);
    if (program == null) {
      program = pythonThatCannotStart(line);
    }
    if (program == null) {
      return null;
    }
    metadata.put("component", program.substring(program.lastIndexOf('/') + 1));
    return error(Level.ERROR, line, metadata);
  }

  /**
   * Whether a shell's message is a warning: bash's {@code warning: ...}, and a test's error ({@code
   * [: 25265758208: unexpected operator}, which Debian's own Chromium launcher prints at every
   * start), which makes the test false and the script go on.
   */
  private static boolean isWarning(String message) {
    return message.startsWith("warning: ") || message.startsWith("[: ") || message.startsWith("[[: ")
        || message.startsWith("test: ");
  }

  /** The line matched as a shell's error, bash's or dash's; null where it is neither. */
  private static Matcher shellError(String line) {
    int colon = line.indexOf(": ");
    if (colon < 1) {
      return null;
    }
    if (line.startsWith("line ", colon + 2)) {
      Matcher bash = BASH.matcher(line);
      if (bash.matches()) {
        return bash;
      }
    }
    int afterName = colon + 2;
    if (afterName < line.length() && Character.isDigit(line.charAt(afterName))) {
      Matcher dash = DASH.matcher(line);
      if (dash.matches() && isScriptOrShell(dash.group("name"))) {
        return dash;
      }
    }
    if (colon <= LONGEST_SHELL && SHELLS.contains(line.substring(0, colon))) {
      Matcher noLine = NO_LINE.matcher(line);
      if (noLine.matches()) {
        return noLine;
      }
    }
    return null;
  }

  /**
   * Whether a name before a line's number is a script's or a shell's, as dash prints its errors:
   * the form alone ({@code progress: 50: ...}) says too little.
   */
  private static boolean isScriptOrShell(String name) {
    return SHELLS.contains(name) || name.indexOf('/') >= 0 || name.endsWith(".sh");
  }

  /**
   * The program of a line that is a failed call's error: a program's name first (a word, or a
   * path, beginning with no capital: no sentence), what it tried, and one of {@link
   * #SYSTEM_ERRORS} last, each after a colon. Null for any other line.
   */
  static String failedCallsProgram(String line) {
    int last = line.lastIndexOf(": ");
    if (last < 1) {
      return null;
    }
    int described = last + 2;
    if (line.startsWith(ERROR_NUMBER, described)) {
      described = line.indexOf("] ", described) + 2;   // Python's "[Errno 2] No such file or directory"
      if (described == 1) {
        return null;
      }
    }
    if (line.length() - described > LONGEST_SYSTEM_ERROR || line.length() - described < 4
        || !Character.isUpperCase(line.charAt(described)) || !SYSTEM_ERRORS.contains(line.substring(described))) {
      return null;
    }
    int colon = line.indexOf(": ");
    if (colon == last || colon > 200 || Character.isUpperCase(line.charAt(0)) || TracebackLines.isExceptionLine(line)) {
      // a file and its error, with no program's name (ffmpeg's "in.mp4: No such file or
      // directory", left to FfmpegLines); a sentence; an exception's line, whose name is no
      // program's ("io.grpc.StatusRuntimeException: UNAVAILABLE: io exception: Connection refused")
      return null;
    }
    for (int i = 0; i < colon; i++) {
      char c = line.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == '+' || c == '/')) {
        return null;
      }
    }
    return line.substring(0, colon);
  }

  /**
   * The interpreter of a line that is Python's refusal to run what it was given, after its own
   * path: {@code /usr/bin/python3: No module named worker} ({@code python3 -m worker}), {@code
   * ...: Error while finding module specification for 'app.worker' (ModuleNotFoundError: ...)},
   * {@code ...: can't find '__main__' module in '/app'}. Null for any other line.
   */
  private static String pythonThatCannotStart(String line) {
    int colon = line.indexOf(": ");
    if (colon < 1) {
      return null;
    }
    for (String refusal : PYTHON_REFUSALS) {   // a loop, not a stream: it runs for most lines
      if (line.startsWith(refusal, colon + 2)) {
        String program = line.substring(0, colon);
        return PYTHON.matcher(program.substring(program.lastIndexOf('/') + 1)).matches() ? program : null;
      }
    }
    return null;
  }

  /**
   * Whether a Go program's message ends with the description of a failed call's error, after a
   * colon: {@code load model: open /models/x.bin: no such file or directory}, what {@code
   * log.Fatalf("load model: %v", err)} prints before the program exits.
   */
  static boolean endsWithGoSystemError(String message) {
    int last = message.lastIndexOf(": ");
    return last > 0 && message.length() - last - 2 <= LONGEST_SYSTEM_ERROR
        && GO_SYSTEM_ERRORS.contains(message.substring(last + 2));
  }

  private static ChildLineParser.Parsed error(Level level, String line, RecordMetadata metadata) {
    return new ChildLineParser.Parsed(level, line, null, metadata, false);
  }
}
