package dev.heartlog.cli;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * What Python prints, line by line, when a program fails or warns: a traceback's first line,
 * frames and chained exceptions, an exception group's, a syntax error's report, what Python says
 * above a traceback it prints itself, {@code faulthandler}'s dumps, rich's box, the {@code
 * warnings} module's line. Written as {@link TracebackLines} says: a cheap look at the line
 * before any regular expression, and no expression that repeats a group.
 */
final class PythonTracebackLines {

  /** The first line of a Python traceback. */
  static final String PYTHON_START = "Traceback (most recent call last):";

  /**
   * Whether a message ends with the first line of a traceback after words of its own, as a
   * message that has {@code traceback.format_exc()} in it begins one ({@code Task failed:
   * Traceback (most recent call last):}): not indented, as the tracebacks inside an exception
   * group's are ({@code   | Traceback (most recent call last):}), and with a letter before it.
   */
  static boolean endsWithPythonStart(String message) {
    int start = message.length() - PYTHON_START.length();
    if (start < 2 || !message.endsWith(PYTHON_START) || message.charAt(start - 1) != ' '
        || Character.isWhitespace(message.charAt(0))) {
      return false;
    }
    for (int i = 0; i < start; i++) {
      if (Character.isLetter(message.charAt(i))) {
        return true;
      }
    }
    return false;
  }

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
   * The rule {@code socketserver}'s servers ({@code http.server}'s among them) draw above and
   * below their report of a request whose handler raised.
   */
  static final String SOCKETSERVER_RULE = "-".repeat(40);

  /** The first line of {@code socketserver}'s report of a request whose handler raised, after its rule. */
  static final String SOCKETSERVER_FAILURE = "Exception occurred during processing of request from ";

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

  private PythonTracebackLines() {}

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

  static boolean isPythonWarning(String text) {
    return !Character.isWhitespace(text.charAt(0)) && text.contains("Warning: ") && PYTHON_WARNING.matcher(text).matches();
  }
}
