package dev.heartlog.cli;

import java.util.regex.Pattern;

/**
 * What runtimes print, line by line, as a stack trace: the exception's line, frames (the JVM's,
 * Node.js's, .NET's, Ruby's, Elixir's), causes and frames left out; and whether a traceback is
 * the one a runtime prints as its program dies. {@link Tracebacks} puts these together into one
 * record. Each runtime's other shapes have a class of their own: {@link PythonTracebackLines},
 * {@link NodeErrorLines}, {@link JdkLines} (HotSpot's crash report and thread dump, {@code
 * java.util.logging}'s record of two lines) and {@link PanicLines} (Go, Rust, C++).
 *
 * <p>Each test, here and in those, looks at the line's first character, or for a fixed text,
 * before it runs a regular expression: a line of the seed's format, "[12:00:00] INFO ...", cost
 * about 8% of heartlog run's lines per second without (BENCHMARKS.md §7).
 *
 * <p>A line may be 64 KiB of anything, so no expression here or in those repeats a group ({@code
 * (?:a\.)+}): Java matches each repetition one call deeper, and a line of 30,000 {@code a.}
 * overflowed the reading thread's stack. Nor does one search the rest of the line from each of
 * many places where a line that cannot match would have it searched again: {@code \S+\(.*\)}
 * did so from each {@code (}, and a frame-like line of 60,000 characters took 3 s, the worker's
 * output waiting meanwhile. Those look at the line's last character first instead.
 */
final class TracebackLines {

  /** A Ruby backtrace's frame: the file, its line, and the method, quoted ({@link #isRubyFrame}). */
  private static final Pattern RUBY_FRAME = Pattern.compile("\\S+\\.rb:\\d+:in [`'].*'");

  /**
   * The first line Ruby prints of an exception nothing rescued: where it was raised, the message
   * and the class ({@code crash.rb:3:in `render': bad frame 13 (ArgumentError)}; since Ruby 3.4
   * {@code in 'Object#render'}).
   */
  private static final Pattern RUBY_UNCAUGHT = Pattern.compile("\\S+\\.rb:\\d+:in [`'][^`']*': .+");

  /** A frame below it: {@code \tfrom crash.rb:5:in `run'}. */
  private static final Pattern RUBY_FROM = Pattern.compile("\\s+from \\S+:\\d+:in [`'].*'");

  /**
   * The first line of an Elixir error's report, below a logged error or alone where nothing
   * caught it: {@code ** (RuntimeError) CUDA out of memory}, {@code ** (exit) exited in: ...},
   * {@code ** (EXIT from #PID<0.94.0>) shutdown}.
   */
  private static final Pattern ELIXIR_ERROR = Pattern.compile("\\*\\* \\((?:[A-Z][\\w.]*|exit|throw|EXIT from [^)]*)\\) .*");

  /**
   * A frame of an Elixir error's report, indented by four: the application and its version, the
   * file and line, the function ({@code     (render 0.1.0) lib/render/worker.ex:12:
   * Render.Worker.perform/1}, {@code     (stdlib 5.1) gen_server.erl:1077: ...}); a script's
   * own without the application ({@code     lib/render.ex:5: Render.run/0}, {@code
   * render.exs:3: (file)}).
   */
  private static final Pattern ELIXIR_FRAME = Pattern.compile(
      "    (?:\\(\\w+ [\\w.+-]+\\) \\S+:\\d+: .+|\\S+\\.(?:ex|exs|erl|hrl):\\d+: .+|\\S+:\\d+: \\((?:file|module)\\))");

  /**
   * The lines of an Elixir report below its frames: what a crashed Task ran ({@code Function:
   * #Function<...>}, {@code     Args: []}), a GenServer's last message and state, and the caller
   * ({@code Client #PID<0.250.0> is alive}), whose frames follow.
   */
  private static final Pattern ELIXIR_REPORT = Pattern.compile(
      "Function: .*|    Args: .*|Last message(?: \\(from [^)]*\\))?: .*|State: .*|Client \\S+ is (?:alive|dead)");

  /**
   * A frame of a JVM stack trace ({@code at com.example.Render.run(Render.java:42)}, {@code at
   * java.base/java.lang.Thread.run(Thread.java:833)}) or of Node.js's ({@code at render
   * (/app/render.js:12:5)}, {@code at /app/render.js:12:5}), indented. "  at 5 fps" is not one.
   */
  private static final Pattern FRAME_CALL = Pattern.compile("\\s+at (?:\\S+\\(.*\\)|.+ \\(.*\\))");   // ends with ")"
  // Ends with a digit; an async function's with no name: "at async /app/render.js:12:5".
  private static final Pattern FRAME_PLACE = Pattern.compile("\\s+at (?:async )?\\S+:\\d+(?::\\d+)?");

  /**
   * .NET's frame with its place, indented by three as {@code Exception.ToString()} writes it:
   * {@code    at Worker.Render(Int32 frame) in /src/Worker.cs:line 12}. Indented further, as .NET's
   * console logger sets an entry's lines below its header, it is a line of that entry's message.
   */
  private static final Pattern DOTNET_FRAME = Pattern.compile("   at \\S+\\(.*\\) in .+:line \\d+");

  /** Dropwizard's line over an exception its cause caused. */
  static final String DROPWIZARD_CAUSING = "Causing: ";

  /**
   * The other lines of a JVM or Node.js stack trace: causes, suppressed exceptions, frames left
   * out (the JVM's {@code ... 12 more}; Node.js's {@code ... 5 lines matching cause stack trace
   * ...}, the frames an error shares with its cause), and Node.js's line over the frames that
   * emitted an {@code 'error'} event no listener took ({@code Emitted 'error' event on Socket
   * instance at:}); and Dropwizard's {@code Causing: ...}, the exception the one before caused
   * (it prints the deepest cause first; {@link JavaConsoleLines#unprefixed}).
   */
  private static final Pattern STACK_CONTINUATION = Pattern.compile(
      "\\s*(?:Caused by|Suppressed): \\S.*|" + DROPWIZARD_CAUSING + "\\S.*|\\s+\\.\\.\\. \\d+ (?:more|common frames omitted|levels\\.\\.\\.)"
          + "|\\s+\\.\\.\\. \\d+ lines? matching cause stack trace \\.\\.\\.|Emitted 'error' event(?: on \\S.* instance)? at:");

  /**
   * A qualified name, {@code a.b.C}: names of a letter, {@code _} or {@code $} then those and
   * digits, joined by single dots. Written without repeating a group: a dot that no name follows
   * ({@code a..b}, {@code a.1}, {@code a.}) is looked for ahead instead.
   */
  private static final String QUALIFIED_NAME = "(?=[A-Za-z_$])(?![\\w$.]*\\.(?![A-Za-z_$]))[\\w$]*\\.[\\w$.]*";

  /**
   * A line that may start a stack trace: a JVM exception's qualified class name ({@code
   * org.postgresql.util.PSQLException: ...}, also after {@code Exception in thread "main"}), or
   * a Node.js error ({@code Error: ...}, {@code TypeError [ERR_INVALID_ARG_TYPE]: ...}).
   */
  private static final Pattern EXCEPTION_LINE = Pattern.compile(
      "(?:Exception in thread \".*\" )?" + QUALIFIED_NAME + "(?::.*)?"
          + "|(?:Uncaught )?(?:[A-Z][\\w$]*)?(?:Error|Exception)(?: \\[\\w+])?(?::.*)?");

  private TracebackLines() {}

  /**
   * A frame of a Ruby backtrace, as Sidekiq logs one below a job's exception: {@code
   * /srv/app/jobs.rb:10:in `perform'} (Ruby 3.4: {@code in 'RenderJob#perform'}).
   */
  static boolean isRubyFrame(String text) {
    int in = text.indexOf(":in ");
    return in > 4 && text.startsWith(".rb:", text.lastIndexOf('.', in)) && RUBY_FRAME.matcher(text).matches();
  }

  /**
   * A frame of a JVM or Node.js stack trace, or of Ruby's backtrace below an exception nothing
   * rescued ({@link #RUBY_FROM}); also Node.js's last frame of an error it prints with
   * the error's own properties ({@code code: 'ECONNREFUSED'}, a {@code [cause]}), which ends
   * with {@code " {"}: they follow it, to a closing {@code "}"}; and a JVM frame with the jar it
   * came from after it, as Logback's extended stack traces print it (Spring Boot's console):
   * {@code at c.e.App.run(App.java:22) ~[spring-core-6.2.12.jar!/:6.2.12]}, {@code [na:na]}.
   */
  static boolean isFrame(String text) {
    String frame = text.endsWith(" {") ? text.substring(0, text.length() - 2) : withoutPackagingData(text);
    if (frame.isEmpty() || !Character.isWhitespace(frame.charAt(0))) {
      return false;
    }
    char last = frame.charAt(frame.length() - 1);
    if (last == '\'') {
      return RUBY_FROM.matcher(frame).matches();
    }
    return last == ')' ? FRAME_CALL.matcher(frame).matches() || isElixirFrame(frame)
        : last >= '0' && last <= '9' && (FRAME_PLACE.matcher(frame).matches() || DOTNET_FRAME.matcher(frame).matches()
            || isElixirFrame(frame));
  }

  /** A frame of an Elixir error's report ({@link #ELIXIR_FRAME}). */
  private static boolean isElixirFrame(String text) {
    return text.startsWith("    ") && text.indexOf(": ", 4) > 0 && ELIXIR_FRAME.matcher(text).matches();
  }

  /** The first line of an Elixir error's report ({@link #ELIXIR_ERROR}). */
  static boolean isElixirError(String text) {
    return text.startsWith("** (") && ELIXIR_ERROR.matcher(text).matches();
  }

  /** A line of an Elixir error's report below its frames ({@link #ELIXIR_REPORT}). */
  static boolean isElixirReportLine(String text) {
    return ELIXIR_REPORT.matcher(text).matches();
  }

  /** A frame without the jar Logback names after it ({@code  ~[app.jar:1.0]}); as it is where it names none. */
  private static String withoutPackagingData(String text) {
    if (!text.endsWith("]")) {
      return text;
    }
    int open = text.lastIndexOf('[');
    int start = open > 0 && text.charAt(open - 1) == '~' ? open - 1 : open;
    return start > 1 && text.charAt(start - 1) == ' ' && text.indexOf(']') == text.length() - 1
        ? text.substring(0, start - 1) : text;
  }

  /** The lines of a JVM or Node.js stack trace after its frames began, frames aside. */
  static boolean isStackContinuation(String text) {
    return STACK_CONTINUATION.matcher(text).matches() || NodeErrorLines.isNodeVersion(text)
        || NodeErrorLines.isNodeTraceNote(text);
  }

  /**
   * A line that may start a stack trace ({@link #EXCEPTION_LINE}); not a Ruby backtrace's frame
   * of a file named without its folder ({@code worker.rb:3:in `render'}), whose name reads as a
   * qualified class name. Also Ruby's uncaught exception's first line, and Elixir's error's.
   */
  static boolean isExceptionLine(String text) {
    char first = text.isEmpty() ? ' ' : text.charAt(0);
    return (Character.isLetter(first) || first == '_' || first == '$') && EXCEPTION_LINE.matcher(text).matches()
        && !isRubyFrame(text) || isRubyUncaught(text) || first == '*' && isElixirError(text);
  }

  /**
   * Where a JVM exception's line begins that a logger printed after its message, as JBoss
   * LogManager's {@code %s%e} does (Quarkus, WildFly, Keycloak: {@code Render failed:
   * java.lang.IllegalStateException: task 42 failed}, the frames below): the index of the {@code
   * ": "} before its qualified class name, or -1. The first such place: a message's own colon
   * comes before the exception's, and an exception's message of several lines after it.
   */
  static int appendedJvmException(String message) {
    for (int colon = message.indexOf(": "); colon >= 0; colon = message.indexOf(": ", colon + 2)) {
      int lineEnd = message.indexOf('\n', colon);
      String rest = message.substring(colon + 2, lineEnd < 0 ? message.length() : lineEnd);
      int end = rest.indexOf(':');
      String name = end < 0 ? rest : rest.substring(0, end);
      if (name.indexOf('.') > 0 && name.indexOf(' ') < 0 && isExceptionLine(rest)) {
        return colon;
      }
    }
    return -1;
  }

  /** The first line of a Ruby exception nothing rescued ({@link #RUBY_UNCAUGHT}). */
  static boolean isRubyUncaught(String text) {
    int in = text.indexOf(":in ");
    return in > 4 && text.startsWith(".rb:", text.lastIndexOf('.', in)) && RUBY_UNCAUGHT.matcher(text).matches();
  }

  /**
   * Whether a traceback is the one a runtime prints as its program dies of an exception nothing
   * caught, by its first or last line: the JVM's {@code Exception in thread "main" ...}, Go's
   * {@code panic: ...} or {@code fatal error: ...}, Rust's {@code thread 'main' panicked at ...},
   * Ruby's {@code app/crash.rb:3:in `render': bad frame (ArgumentError)}, the C++ runtime's
   * {@code terminate called after throwing an instance of 'c10::Error'}, Python's {@code
   * faulthandler} on a fatal signal ({@code Fatal Python error: Segmentation fault}), or the
   * Node.js version printed below an uncaught error ({@code Node.js v20.11.1}). Python's
   * traceback has no such line: its message, the traceback's last line, tells it ({@link
   * WorkerLines}).
   */
  static boolean isUncaughtCrash(String exception) {
    int firstEnd = exception.indexOf('\n');
    String first = firstEnd < 0 ? exception : exception.substring(0, firstEnd);
    String trimmed = exception.stripTrailing();
    String last = trimmed.substring(trimmed.lastIndexOf('\n') + 1);
    return first.startsWith("Exception in thread \"") || PanicLines.isGoPanic(first) || PanicLines.isRustPanic(first)
        || PanicLines.isCppTerminate(first) || isRubyUncaught(first) || PythonTracebackLines.isPythonFatal(first)
        || NodeErrorLines.isNodeVersion(last);
  }

  /**
   * Whether a line right after an exception line can be more of its message: PyTorch's CUDA
   * errors go on for three lines ("CUDA kernel errors might be asynchronously reported ...",
   * "For debugging consider passing CUDA_LAUNCH_BLOCKING=1", ...), a PSQLException for its
   * "Detail:". A blank line, a line naming its level, a JSON object, or what Python prints
   * before a traceback is not.
   */
  static boolean mayContinueMessage(String text) {
    return !text.isBlank() && text.charAt(0) != '{' && !text.equals(PythonTracebackLines.PYTHON_START)
        && !PythonTracebackLines.isPythonTracebackHeader(text)
        && LevelNames.levelNamedNearStart(text) == null && CppLoggerLines.glogLevel(text) == null;
  }
}
