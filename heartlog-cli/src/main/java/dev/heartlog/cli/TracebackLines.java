package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What runtimes print, line by line, when a program fails or warns: the shapes {@link Tracebacks}
 * puts together into one record. Each test looks at the line's first character, or for a fixed
 * text, before it runs a regular expression: a line of the seed's format, "[12:00:00] INFO ...",
 * cost about 8% of heartlog run's lines per second without (BENCHMARKS.md §7).
 *
 * <p>A line may be 64 KiB of anything, so no expression here repeats a group ({@code (?:a\.)+}):
 * Java matches each repetition one call deeper, and a line of 30,000 {@code a.} overflowed the
 * reading thread's stack. Nor does one search the rest of the line from each of many places
 * where a line that cannot match would have it searched again: {@code \S+\(.*\)} did so from
 * each {@code (}, and a frame-like line of 60,000 characters took 3 s, the worker's output
 * waiting meanwhile. Those look at the line's last character first instead.
 */
final class TracebackLines {

  /** The first line of a Python traceback. */
  static final String PYTHON_START = "Traceback (most recent call last):";

  /**
   * Where Python's report of a syntax error begins when no traceback comes before it, as for a
   * script that does not compile ({@code python3 worker.py}, Blender's {@code -P render.py}):
   * {@code   File "/srv/worker.py", line 2}, then the source line, a caret, and {@code
   * SyntaxError: '(' was never closed} (or IndentationError, TabError). A traceback's frame names
   * its function after the line number ({@code , in <module>}); this line names none.
   */
  private static final Pattern SYNTAX_ERROR_LOCATION = Pattern.compile("  File \"[^\"]*\", line \\d+");

  /** The first line of a Python exception group's traceback (3.11+: asyncio's TaskGroup raises them). */
  static final String PYTHON_GROUP_START = "  + Exception Group Traceback (most recent call last):";

  /** What Python prints between the tracebacks of chained exceptions. */
  private static final Set<String> PYTHON_CHAINED = Set.of(
      "During handling of the above exception, another exception occurred:",
      "The above exception was the direct cause of the following exception:");

  /**
   * A frame of a JVM stack trace ({@code at com.example.Render.run(Render.java:42)}, {@code at
   * java.base/java.lang.Thread.run(Thread.java:833)}) or of Node.js's ({@code at render
   * (/app/render.js:12:5)}, {@code at /app/render.js:12:5}), indented. "  at 5 fps" is not one.
   */
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
   * An error Node.js prints in brackets, one whose stack has no frames (a file system call's
   * {@code [Error: ENOENT: no such file or directory, open 'model.bin'] {}, with its properties
   * in braces below; {@code [AggregateError: All promises were rejected] {}): the error's line.
   */
  private static final Pattern NODE_BRACKETED = Pattern.compile("\\[(?<error>[^\\s\\[].*)\\](?: \\{)?");

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

  /**
   * A Node.js error printed after other words on its line, as {@code console.error("render
   * failed:", err)} prints it ({@code render failed: Error: CUDA device lost}): the error's line
   * is from the first word that names an error ({@code Error}, {@code TypeError [ERR_...]}).
   */
  private static final Pattern EMBEDDED_ERROR = Pattern.compile(
      ".*?\\s((?:[A-Z][\\w$]*)?(?:Error|Exception)(?: \\[\\w+])?(?::\\s.*)?)");

  /** What Node.js's {@code console.trace("slow frame 3")} prints above the frames it was called from. */
  static final String NODE_TRACE = "Trace: ";

  /** Node.js's first line of an uncaught error: where it was thrown ({@code /app/render.js:12}). */
  private static final Pattern NODE_LOCATION = Pattern.compile("(?:/|file://|node:)\\S*:\\d+");

  /**
   * The first line of Node.js's report of a fatal error when its heap ran out: the garbage
   * collector's last runs, the JavaScript stack, {@code FATAL ERROR: Reached heap limit Allocation
   * failed - JavaScript heap out of memory}, and the native stack.
   */
  static final String NODE_FATAL_GCS = "<--- Last few GCs --->";
  /** The line of Node.js's (V8's) fatal error that says what it was. */
  static final String NODE_FATAL = "FATAL ERROR: ";
  /** A garbage collector's run in that report: {@code [14674:0x1ebd0ca0]      180 ms: Mark-Compact 24.3 (41.3) -> ...}. */
  private static final Pattern NODE_GC_RUN = Pattern.compile("\\[\\d+:0x[0-9a-f]+\\] .*");
  /** A frame of its native stack: {@code  1: 0xb78db3 node::OOMErrorHandler(...) [node]}, {@code 11: 0x128ed12  [node]}. */
  private static final Pattern NODE_NATIVE_FRAME = Pattern.compile(" *\\d{1,4}: 0x[0-9a-f]+ .*");

  /** The line HotSpot begins and ends its report of the JVM's crash with, and puts between its parts. */
  static final String JVM_CRASH_MARGIN = "#";

  /**
   * The rule {@code socketserver}'s servers ({@code http.server}'s among them) draw above and
   * below their report of a request whose handler raised.
   */
  static final String SOCKETSERVER_RULE = "-".repeat(40);

  /** The first line of {@code socketserver}'s report of a request whose handler raised, after its rule. */
  static final String SOCKETSERVER_FAILURE = "Exception occurred during processing of request from ";

  /** The second line of HotSpot's report of the JVM's crash, where it was no lack of memory. */
  static final String JVM_FATAL_ERROR = "# A fatal error has been detected by the Java Runtime Environment:";

  /** The line of HotSpot's report over the frame it crashed in. */
  static final String JVM_CRASH_FRAME = "# Problematic frame:";

  /** The line of HotSpot's report that says it prints the whole report, for want of a file to write it to. */
  static final String JVM_DUMPED_TO_SCREEN = "# Can not save log file, dump to screen..";

  /** The line of that whole report over its registers' values, a hundred lines and more of hex. */
  static final String JVM_DUMP_REGISTERS = "Registers:";

  /** That whole report's last line. */
  static final String JVM_DUMP_END = "END.";

  /** The line of HotSpot's report over the file it writes the whole report to. */
  static final String JVM_CRASH_REPORT_SAVED = "# An error report file with more information is saved as:";

  /** What follows what a HotSpot crash was: where, in the process ({@code  at pc=0x...}), and whose. */
  private static final Pattern JVM_CRASH_PLACE = Pattern.compile("(?: at pc=|, pid=).*");

  /** The second line of HotSpot's report of the JVM's crash (on stdout), with what it was. */
  private static final Set<String> JVM_CRASH = Set.of(
      JVM_FATAL_ERROR,
      "# There is insufficient memory for the Java Runtime Environment to continue.");

  /** A warning of Node.js's ({@code process.emitWarning}, deprecations), with its code or without. */
  private static final Pattern NODE_WARNING = Pattern.compile("\\(node:\\d+\\) (?:\\[\\w+] )?(?:[A-Z]\\w*)?Warning: .*");

  /** The caret Node.js prints under the throwing line of source. */
  private static final Pattern CARET = Pattern.compile("\\s*\\^+\\s*");

  /** Node.js's last line of an uncaught error: {@code Node.js v20.11.1}. */
  private static final Pattern NODE_VERSION = Pattern.compile("Node\\.js v(?![\\d.]*\\.(?!\\d))\\d[\\d.]*");

  /**
   * The lines of a Go program's panic, fatal error or dump on a signal after its first ({@code
   * panic: runtime error: ...}): goroutine headers ({@code goroutine 1 [running]:}), calls
   * ({@code main.(*Queue).claim(0xc000012345)}) each over its place ({@code \t/app/queue.go:42
   * +0x1d}), {@code [signal SIGSEGV: ...]}, {@code created by ...}, {@code exit status 2} from
   * {@code go run}; a signal's dump's {@code PC=0x45ef63 m=0 sigcode=0} and registers' values
   * ({@code rax    0x0}, {@code rflags 0x286}).
   */
  private static final Pattern GO_PANIC = Pattern.compile(
      "goroutine \\d+ .*:|\\[signal .*]|\t.*|created by .*|exit status \\d+|panic: .*"
          + "|\\.\\.\\.additional frames elided\\.\\.\\.|PC=0x\\p{XDigit}+ .*|[a-z][a-z0-9]{1,6} +0x\\p{XDigit}+");

  /**
   * The first line of a Go program's dump of every goroutine's stack as it dies of a signal, as
   * Go's runtime names the signals it dies of ({@code runtime/sigtab_linux_generic.go}): {@code
   * SIGQUIT: quit} ({@code kill -QUIT}, as one asks a hung Go worker what it is doing), {@code
   * SIGABRT: abort}, {@code SIGSEGV: segmentation violation} in C code. A worker's own {@code
   * SIGTERM: shutting down} is no such line.
   */
  private static final Set<String> GO_SIGNALS = Set.of("SIGQUIT: quit", "SIGILL: illegal instruction",
      "SIGTRAP: trace trap", "SIGABRT: abort", "SIGBUS: bus error", "SIGFPE: floating-point exception",
      "SIGSEGV: segmentation violation", "SIGSTKFLT: stack fault", "SIGSYS: bad system call");

  /**
   * A Go function's name as zap's stack names it, without arguments ({@code main.main}, {@code
   * main.(*Queue).claim}, {@code github.com/acme/render.Run.func1}).
   */
  private static final Pattern GO_FUNCTION = Pattern.compile("[A-Za-z_][\\w./*()\\[\\]-]*\\.[\\w*()\\[\\]-]+");

  /** A call among those lines, {@code main.(*Queue).claim(0xc000012345)}: it ends with ")". */
  private static final Pattern GO_CALL = Pattern.compile("\\S+\\(.*\\)");

  /**
   * What the C++ runtime (libstdc++) prints as it aborts a program over an exception nothing
   * caught: {@code terminate called after throwing an instance of 'c10::Error'}, the type in
   * {@code type}; or over none ({@code terminate called without an active exception}, a thread
   * left joinable; {@code terminate called recursively}). PyTorch's C++ aborts so, a CUDA error
   * in a destructor or a thread of its own.
   */
  private static final Pattern CPP_TERMINATE = Pattern.compile(
      "terminate called (?:after throwing an instance of '(?<type>.+)'|without an active exception|recursively)");

  /** The line after {@link #CPP_TERMINATE} with the exception's {@code what()}. */
  static final String CPP_WHAT = "  what():  ";

  /**
   * The lines of a C++ exception's stack as PyTorch's {@code c10::Error} prints them below its
   * message: {@code Exception raised from insert_events at ../c10/cuda/CUDACachingAllocator.cpp:569
   * (most recent call first):}, then {@code frame #0: c10::Error::Error(...) + 0x96 (0x7e3a... in
   * .../libc10.so)}.
   */
  private static final Pattern CPP_STACK = Pattern.compile(
      "Exception raised from .* \\(most recent call first\\):|frame #\\d+: .*");

  /**
   * A Rust program's panic: {@code thread 'main' panicked at src/main.rs:2:5:}, with the thread's
   * id since Rust 1.88 ({@code thread 'main' (4242) panicked at ...}), or the message before the
   * place before Rust 1.73 ({@code thread 'main' panicked at 'index out of bounds', ...}).
   */
  private static final Pattern RUST_PANIC = Pattern.compile("thread '.*'(?: \\(\\d+\\))? panicked at .*");

  /** The lines after a Rust panic's message: its backtrace, and Rust's notes on getting one. */
  private static final Pattern RUST_BACKTRACE = Pattern.compile("stack backtrace:|\\s+\\d+: .*|\\s+at .*|note: .*");

  /**
   * The first line of Python's {@code faulthandler} dump on a fatal signal ({@code Fatal Python
   * error: Segmentation fault}), which a crash in a CUDA or other native library prints where the
   * handler is on ({@code faulthandler.enable()}, {@code PYTHONFAULTHANDLER}, pytest, PyTorch's
   * launchers); also Python's own fatal errors.
   */
  private static final String PYTHON_FATAL = "Fatal Python error: ";

  /**
   * The header of a thread's stack in a {@code faulthandler} dump ({@code Thread 0x00007f...
   * (most recent call first):}, {@code Current thread 0x...}, with the thread's name since
   * Python 3.13), of the one stack of a dump of the current thread ({@code Stack (most recent
   * call first):}), or of 3.14's C stack; the frames below it are indented.
   */
  private static final Pattern DUMP_STACK = Pattern.compile(
      "(?:(?:Current thread|Thread) 0x\\p{XDigit}+(?: .*)?|Stack|Current thread's C stack trace) \\(most recent call first\\):");

  /** The first line of the stack Python's logging prints for {@code stack_info=True}. */
  private static final String PYTHON_STACK_INFO = "Stack (most recent call last):";

  /** What a dump {@code faulthandler.dump_traceback_later} makes begins with: {@code Timeout (0:05:00)!}. */
  private static final Pattern DUMP_TIMEOUT = Pattern.compile("Timeout \\(\\d+:\\d{2}:\\d{2}(?:\\.\\d+)?\\)!");

  /**
   * What Python's {@code warnings} module prints ({@code /site-packages/torch/_pytree.py:185:
   * FutureWarning: ...}), followed by the line of source that warned, indented ({@code
   * warnings.warn(}).
   */
  private static final Pattern PYTHON_WARNING = Pattern.compile("\\S.*?:\\d+: [A-Z]\\w*Warning: .*");

  /**
   * The first line of a record of {@code java.util.logging}'s console handler in its default
   * format: {@code Nov 29, 2026 10:00:00 AM com.example.Worker render}, the time in English, then
   * the class and the method. {@link #JUL_LEVEL} is the second.
   */
  private static final Pattern JUL_SOURCE = Pattern.compile(
      "[A-Z][a-z]{2} \\d{1,2}, \\d{4} \\d{1,2}:\\d{2}:\\d{2} [AP]M (?<class>[\\w$.]+)(?: (?<method>\\S+))?");

  /** The second line of a record of {@code java.util.logging}'s: {@code INFO: Loading model}. */
  private static final Pattern JUL_LEVEL = Pattern.compile(
      "(?<level>SEVERE|WARNING|INFO|CONFIG|FINE|FINER|FINEST): (?<message>.*)");

  private TracebackLines() {}

  static boolean isPythonChained(String text) {
    return PYTHON_CHAINED.contains(text);
  }

  /** A Python traceback's frame or line of source: indented. */
  static boolean isPythonFrame(String text) {
    return !text.isEmpty() && (text.charAt(0) == ' ' || text.charAt(0) == '\t');
  }

  /** A line of a Python exception group's traceback after its first: indented, then | or +. */
  static boolean isPythonGroupLine(String text) {
    String rest = text.stripLeading();
    return rest.length() < text.length() && !rest.isEmpty() && (rest.charAt(0) == '|' || rest.charAt(0) == '+');
  }

  /**
   * The group's own exception line ({@code   | ExceptionGroup: render failed (2 sub-exceptions)})
   * without its prefix, or null: the first line at the outermost level that is not a frame.
   */
  static String pythonGroupException(String text) {
    return text.startsWith("  | ") && text.length() > 4 && !Character.isWhitespace(text.charAt(4)) ? text.substring(4) : null;
  }

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
    return STACK_CONTINUATION.matcher(text).matches() || text.startsWith("Node.js v") && NODE_VERSION.matcher(text).matches()
        || isNodeTraceNote(text);
  }

  /** A warning of Node.js's: {@code (node:4242) [DEP0005] DeprecationWarning: Buffer() is deprecated ...}. */
  static boolean isNodeWarning(String text) {
    return text.startsWith("(node:") && NODE_WARNING.matcher(text).matches();
  }

  /**
   * What Node.js prints after its first warning, and after an uncaught value that is no error
   * ({@code throw "oops"}): {@code (Use `node --trace-warnings ...` to show where the warning was
   * created)}.
   */
  static boolean isNodeTraceNote(String text) {
    return text.startsWith("(Use `node --trace-");
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

  /**
   * The error's line in a line that prints it after other words ({@link #EMBEDDED_ERROR}):
   * {@code Error: CUDA device lost} of {@code render failed: Error: CUDA device lost}; {@code
   * null} where the line names no error. The words looked for first spare most lines the regular
   * expression.
   */
  static String embeddedError(String text) {
    if (!text.contains("Error") && !text.contains("Exception")) {
      return null;
    }
    Matcher embedded = EMBEDDED_ERROR.matcher(text);
    return embedded.matches() ? embedded.group(1) : null;
  }

  /** The first line of a Ruby exception nothing rescued ({@link #RUBY_UNCAUGHT}). */
  static boolean isRubyUncaught(String text) {
    int in = text.indexOf(":in ");
    return in > 4 && text.startsWith(".rb:", text.lastIndexOf('.', in)) && RUBY_UNCAUGHT.matcher(text).matches();
  }

  /**
   * The error's line of an error Node.js prints in brackets ({@link #NODE_BRACKETED}):
   * {@code Error: ENOENT: ...} of {@code [Error: ENOENT: ...] {}; {@code null} where the line is
   * none. Node.js prints what else it throws otherwise: an array with a space inside its brackets
   * ({@code [ 'frame 3' ]}), an object in braces.
   */
  static String nodeBracketedError(String text) {
    if (!text.startsWith("[") || !(text.endsWith("]") || text.endsWith("] {"))) {
      return null;
    }
    Matcher bracketed = NODE_BRACKETED.matcher(text);
    return bracketed.matches() ? bracketed.group("error") : null;
  }

  static boolean isNodeLocation(String text) {
    return (text.charAt(0) == '/' || text.startsWith("file://") || text.startsWith("node:"))
        && NODE_LOCATION.matcher(text).matches();
  }

  static boolean isCaret(String text) {
    return CARET.matcher(text).matches();
  }

  static boolean isGoPanic(String text) {
    return text.startsWith("panic: ") || text.startsWith("fatal error: ")
        || GO_SIGNALS.contains(text);
  }

  /** A line of a Go function's name alone ({@link #GO_FUNCTION}), as zap's stack begins. */
  static boolean isGoFunction(String text) {
    return !text.isEmpty() && !Character.isWhitespace(text.charAt(0)) && GO_FUNCTION.matcher(text).matches();
  }

  static boolean isGoPanicLine(String text) {
    return GO_PANIC.matcher(text).matches() || text.endsWith(")") && GO_CALL.matcher(text).matches();
  }

  /** Python's report of a syntax error with no traceback before it begins here: see {@link #SYNTAX_ERROR_LOCATION}. */
  static boolean isSyntaxErrorLocation(String text) {
    return text.startsWith("  File \"") && SYNTAX_ERROR_LOCATION.matcher(text).matches();
  }

  /**
   * What Python prints before a traceback of an exception that no code caught: one that ended a
   * thread ({@code Exception in thread Thread-1 (render):}; the JVM's names its thread in quotes
   * and the exception after it), one it could not raise ({@code Exception ignored in: <function
   * Frame.__del__ at 0x7f...>}, and the like since 3.13), or one a log call's arguments raised
   * ({@code --- Logging error ---}: {@code log.info("frame %d of %d", 7)}), whose call and message
   * follow the traceback, or one that ended a process {@code multiprocessing} started ({@code
   * Process Process-1:}, {@code Process SpawnProcess-2:}), or one a request's handler raised in
   * {@code socketserver}'s servers, {@code http.server}'s among them ({@code Exception occurred
   * during processing of request from ('127.0.0.1', 40954)}).
   */
  static boolean isPythonTracebackHeader(String text) {
    return text.startsWith("Exception ignored ") || text.equals("--- Logging error ---")
        || text.startsWith(SOCKETSERVER_FAILURE)
        || text.startsWith("Process ") && text.endsWith(":") && text.indexOf(' ', 8) < 0
        || text.startsWith("Exception in thread ") && text.endsWith(":") && !text.startsWith("Exception in thread \"");
  }

  /**
   * The top of the box rich draws a traceback in ({@code rich.traceback.install()}, {@code
   * RichHandler(rich_tracebacks=True)}, structlog's console where rich is installed): {@code
   * ╭───── Traceback (most recent call last) ─────╮}.
   */
  static boolean isRichTracebackStart(String text) {
    return text.startsWith("╭") && text.contains(" Traceback (most recent call last) ");
  }

  /** Whether the line begins Node.js's report of its fatal error ({@link #NODE_FATAL_GCS}, or the error itself). */
  static boolean isNodeFatal(String text) {
    return text.equals(NODE_FATAL_GCS) || text.startsWith(NODE_FATAL);
  }

  /**
   * A line of Node.js's report of its fatal error after its first: its headings ({@code <--- JS
   * stacktrace --->}, {@code ----- Native stack trace -----}, older Node.js's {@code ==== JS stack
   * trace ====}), the garbage collector's runs, the stacks' frames, the error, blank lines.
   */
  static boolean isNodeFatalLine(String text) {
    return text.isBlank() || text.startsWith("<--- ") || text.startsWith("----- ") || text.startsWith("==== ")
        || text.startsWith(NODE_FATAL) || text.startsWith("Security context: ") || text.startsWith("    ")
        || NODE_GC_RUN.matcher(text).matches() || NODE_NATIVE_FRAME.matcher(text).matches();
  }

  static boolean isJvmCrash(String text) {
    return JVM_CRASH.contains(text);
  }

  /**
   * What a HotSpot crash was, of its first line after the report's heading: {@code SIGSEGV (0xb)}
   * of {@code #  SIGSEGV (0xb) at pc=0x00007f..., pid=4242, tid=4243}, {@code Internal Error
   * (g1ConcurrentMark.cpp:1183)} of an internal error's; the address and the process, different
   * in every crash, are in the report.
   */
  static String jvmCrashWhat(String text) {
    return JVM_CRASH_PLACE.matcher(text.substring(1).strip()).replaceFirst("");
  }

  /** The frame below {@link #JVM_CRASH_FRAME}, its columns' spaces one: {@code V [libjvm.so+0xed2f94] Unsafe_PutLong+0x124}. */
  static String jvmCrashFrame(String text) {
    return text.substring(1).strip().replaceAll("\\s+", " ");
  }

  /** A line of HotSpot's report of the JVM's crash after its first two: each begins with {@code #}. */
  static boolean isJvmCrashLine(String text) {
    return text.startsWith(JVM_CRASH_MARGIN);
  }

  /**
   * The first line of HotSpot's dump of its threads' stacks, which a JVM prints on stdout when
   * sent SIGQUIT ({@code kill -3}), and {@code jstack} and {@code jcmd PID Thread.print} print
   * too: {@code Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6 mixed mode, sharing):}.
   */
  static boolean isJvmThreadDump(String text) {
    return text.startsWith("Full thread dump ") && text.endsWith(":");
  }

  /**
   * The line of the time HotSpot prints above its thread dump, in the JVM's time zone: {@code
   * 2026-12-06 16:02:42}.
   */
  static boolean isJvmThreadDumpTime(String text) {
    return text.length() == 19 && text.charAt(10) == ' ' && JVM_THREAD_DUMP_TIME.matcher(text).matches();
  }

  private static final Pattern JVM_THREAD_DUMP_TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");

  /**
   * A line of HotSpot's thread dump after its first: a thread's header ({@code "main" #1 prio=5
   * ... tid=0x... nid=0x... waiting on condition}), its state and frames, indented, the blank
   * lines between threads, the list of threads' addresses before them ({@code Threads class SMR
   * info:}, {@code _java_thread_list=...}, lines of {@code 0x...}, {@code }}), the count of JNI's
   * references, the deadlocks it found ({@code Found one Java-level deadlock:}, a rule of {@code
   * =}, the threads named in quotes, {@code Java stack information for the threads listed
   * above:}, {@code Found 1 deadlock.}) and the heap's summary ({@code Heap}, indented lines).
   */
  static boolean isJvmThreadDumpLine(String text) {
    if (text.isEmpty()) {
      return true;
    }
    char first = text.charAt(0);
    return first == ' ' || first == '\t' || first == '"' || text.startsWith("0x") || text.equals("}")
        || text.equals("Heap") || text.startsWith("===") || text.startsWith("Threads class SMR info:")
        || text.startsWith("_java_thread_list=") || text.startsWith("JNI global ref")
        || text.equals(JVM_DEADLOCK) || text.equals("Java stack information for the threads listed above:")
        || jvmDeadlocksFound(text) > 0;
  }

  /** What HotSpot's thread dump prints over each deadlock it found among the threads. */
  static final String JVM_DEADLOCK = "Found one Java-level deadlock:";

  /** The deadlocks HotSpot's thread dump says it found, in its line after them ({@code Found 2 deadlocks.}); 0 for any other line. */
  static int jvmDeadlocksFound(String text) {
    if (!text.startsWith("Found ") || !(text.endsWith(" deadlock.") || text.endsWith(" deadlocks."))) {
      return 0;
    }
    String count = text.substring("Found ".length(), text.indexOf(' ', "Found ".length()));
    return count.chars().allMatch(Character::isDigit) && !count.isEmpty() ? Integer.parseInt(count) : 0;
  }

  static boolean isPythonFatal(String text) {
    return text.startsWith(PYTHON_FATAL);
  }

  /**
   * A line that begins a {@code faulthandler} dump of threads' stacks with no fatal error before
   * it, or the stack Python's logging prints below a record logged with {@code stack_info=True}
   * ({@code Stack (most recent call last):}, then the frames, indented).
   */
  static boolean isPythonStackDump(String text) {
    return isDumpStackHeader(text) || text.equals(PYTHON_STACK_INFO)
        || text.startsWith("Timeout (") && DUMP_TIMEOUT.matcher(text).matches();
  }

  /**
   * A line of a {@code faulthandler} dump after its first: a stack's header, a frame ({@code
   * File "render.py", line 12 in render}, indented, as are {@code <no Python frame>} and the
   * {@code ...} of a stack cut short), the native modules loaded ({@code Extension modules:
   * numpy.core._multiarray_umath, ... (total: 12)}), for a fatal error of Python's own, its
   * state ({@code Python runtime state: initialized}), and the {@code ...} below its first 100
   * threads where there were more.
   */
  static boolean isPythonStackDumpLine(String text) {
    return text.isBlank() || isPythonFrame(text) || isDumpStackHeader(text) || text.equals("...")
        || text.startsWith("Extension modules: ") || text.startsWith("Python runtime state: ");
  }

  private static boolean isDumpStackHeader(String text) {
    return text.endsWith("(most recent call first):") && DUMP_STACK.matcher(text).matches();
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
    return first.startsWith("Exception in thread \"") || isGoPanic(first) || isRustPanic(first)
        || isCppTerminate(first) || isRubyUncaught(first) || isPythonFatal(first)
        || last.startsWith("Node.js v") && NODE_VERSION.matcher(last).matches();
  }

  /** Whether the line is the C++ runtime's as it aborts ({@link #CPP_TERMINATE}). */
  static boolean isCppTerminate(String text) {
    return text.startsWith("terminate called ") && CPP_TERMINATE.matcher(text).matches();
  }

  /**
   * The message of a C++ abort's record: the exception's type and its {@code what()}, as a JVM's
   * exception line names them ({@code c10::Error: CUDA error: device-side assert triggered}, {@code
   * std::bad_alloc: std::bad_alloc}); its first line where {@code what()} says nothing. The store
   * names the exception of a task's failure so too ({@code task-summaries.sql}).
   */
  static String cppExceptionMessage(String terminateLine, String what) {
    Matcher matcher = CPP_TERMINATE.matcher(terminateLine);
    if (what.isEmpty() || !matcher.matches() || matcher.group("type") == null) {
      return terminateLine;
    }
    return matcher.group("type") + ": " + what;
  }

  /** Whether the line is of the stack PyTorch prints below a C++ exception's message ({@link #CPP_STACK}). */
  static boolean isCppStackLine(String text) {
    return (text.startsWith("frame #") || text.startsWith("Exception raised from ")) && CPP_STACK.matcher(text).matches();
  }

  static boolean isRustPanic(String text) {
    return text.startsWith("thread '") && RUST_PANIC.matcher(text).matches();
  }

  /**
   * A heading of the report anyhow prints of the error a Rust program's {@code main} returned:
   * {@code Caused by:} over the error's causes, {@code Stack backtrace:} over its frames.
   */
  static boolean isRustReportHeading(String text) {
    return text.equals("Caused by:") || text.equals("Stack backtrace:");
  }

  static boolean isRustBacktraceLine(String text) {
    return RUST_BACKTRACE.matcher(text).matches();
  }

  static boolean isPythonWarning(String text) {
    return !Character.isWhitespace(text.charAt(0)) && text.contains("Warning: ") && PYTHON_WARNING.matcher(text).matches();
  }

  static boolean isJulSource(String text) {
    return text.charAt(0) >= 'A' && text.charAt(0) <= 'Z' && JUL_SOURCE.matcher(text).matches();
  }

  /** The class and method ({@code class}, {@code method}) of a first line of JUL's, else null. */
  static Matcher julSource(String text) {
    Matcher matcher = JUL_SOURCE.matcher(text);
    return matcher.matches() ? matcher : null;
  }

  /** The level and message ({@code level}, {@code message}) of a second line of JUL's, else null. */
  static Matcher julLevel(String text) {
    Matcher matcher = JUL_LEVEL.matcher(text);
    return matcher.matches() ? matcher : null;
  }

  /** JUL's level as heartlog's: SEVERE is ERROR; CONFIG, FINE, FINER and FINEST are DEBUG. */
  static Level julLevelOf(String name) {
    return switch (name) {
      case "SEVERE" -> Level.ERROR;
      case "WARNING" -> Level.WARNING;
      case "INFO" -> Level.INFO;
      default -> Level.DEBUG;
    };
  }

  /**
   * Whether a line right after an exception line can be more of its message: PyTorch's CUDA
   * errors go on for three lines ("CUDA kernel errors might be asynchronously reported ...",
   * "For debugging consider passing CUDA_LAUNCH_BLOCKING=1", ...), a PSQLException for its
   * "Detail:". A blank line, a line naming its level, a JSON object, or what Python prints
   * before a traceback is not.
   */
  static boolean mayContinueMessage(String text) {
    return !text.isBlank() && text.charAt(0) != '{' && !text.equals(PYTHON_START) && !isPythonTracebackHeader(text)
        && LoggerFormats.levelNamedNearStart(text) == null && LoggerFormats.glogLevel(text) == null;
  }
}
