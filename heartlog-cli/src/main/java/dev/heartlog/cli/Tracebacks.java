package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes a traceback one record, as the seed's Python worker stores it: the lines of the
 * traceback go into the record's {@code exception}, its exception line is the message, and it is
 * an ERROR. Two shapes are read:
 *
 * <ul>
 *   <li>Python's, from {@code Traceback (most recent call last):} to the exception line. Chained
 *       exceptions ("During handling of the above exception, ...") are one traceback, whose
 *       message is the last exception line.
 *   <li>A stack trace of the JVM or Node.js: an exception line ({@code java.io.IOException:
 *       disk full}, {@code Exception in thread "main" ...}, {@code TypeError: ...}) followed by
 *       frames ({@code \tat com.example.Render.run(Render.java:42)}, {@code     at render
 *       (/app/render.js:12:5)}), with its {@code Caused by:}, {@code Suppressed:} and {@code ...
 *       12 more} lines; for Node.js's uncaught error, also the place, source line and caret
 *       printed before it and the version after it. Frames that come with no exception line
 *       before them are one record too, at the level of their first line.
 *   <li>A Go program's {@code panic: ...} or {@code fatal error: ...} with its goroutines' stacks;
 *       a Rust program's {@code thread 'main' panicked at ...} with its message and backtrace.
 * </ul>
 *
 * <p>Two more kinds of record take two lines. A Python warning ({@code file.py:185:
 * FutureWarning: ...}) and the indented line of source Python prints below it are one record, the
 * source line in its {@code source}. So are the two lines of a record of {@code
 * java.util.logging}'s console handler ({@code Nov 29, 2026 10:00:00 AM com.example.Worker
 * render}, then {@code INFO: Loading model}), with its level, class and method.
 *
 * <p>A traceback right after a line naming ERROR or CRITICAL (what Python's {@code
 * logging.exception} and Logback's {@code log.error("...", e)} print) goes into that line's
 * record instead of one of its own, so one failure is one error. A blank line outside a
 * traceback is no record at all.
 *
 * <p>For that, a line naming ERROR or CRITICAL, a line that may be a stack trace's exception
 * line, and a Python warning are held until the next line comes or the stream has been quiet for
 * {@code quietNanos} ({@link #tick}), and a traceback until the first line that is not part of
 * it: their records keep the time and the task of their arrival. Other lines are recorded at
 * once. One instance reads one stream; {@link #tick} and {@link #releaseHeld} come from other
 * threads.
 */
final class Tracebacks {

  static final String START = "Traceback (most recent call last):";

  /** What Python prints between the tracebacks of chained exceptions. */
  private static final Set<String> CHAINED = Set.of(
      "During handling of the above exception, another exception occurred:",
      "The above exception was the direct cause of the following exception:");

  /**
   * A frame of a JVM stack trace ({@code at com.example.Render.run(Render.java:42)}, {@code at
   * java.base/java.lang.Thread.run(Thread.java:833)}) or of Node.js's ({@code at render
   * (/app/render.js:12:5)}, {@code at /app/render.js:12:5}), indented. "  at 5 fps" is not one.
   */
  private static final Pattern FRAME = Pattern.compile("\\s+at (?:\\S+\\(.*\\)|.+ \\(.*\\)|\\S+:\\d+(?::\\d+)?)");

  /** The other lines of a JVM stack trace: causes, suppressed exceptions, frames left out. */
  private static final Pattern STACK_CONTINUATION = Pattern.compile(
      "\\s*(?:Caused by|Suppressed): \\S.*|\\s+\\.\\.\\. \\d+ (?:more|common frames omitted)");

  /**
   * A line that may start a stack trace: a JVM exception's qualified class name ({@code
   * org.postgresql.util.PSQLException: ...}, also after {@code Exception in thread "main"}), or
   * a Node.js error ({@code Error: ...}, {@code TypeError [ERR_INVALID_ARG_TYPE]: ...}).
   */
  private static final Pattern EXCEPTION_LINE = Pattern.compile(
      "(?:Exception in thread \".*\" )?(?:[A-Za-z_$][\\w$]*\\.)+[A-Za-z_$][\\w$]*(?::.*)?"
          + "|(?:Uncaught )?(?:[A-Z][\\w$]*)?(?:Error|Exception)(?: \\[\\w+])?(?::.*)?");

  /**
   * What Python's {@code warnings} module prints ({@code /site-packages/torch/_pytree.py:185:
   * FutureWarning: ...}), followed by the line of source that warned, indented ({@code
   * warnings.warn(}), which goes into the warning's record as its {@code source}.
   */
  private static final Pattern PYTHON_WARNING = Pattern.compile("\\S.*?:\\d+: [A-Z]\\w*Warning: .*");

  /** Node.js's first line of an uncaught error: where it was thrown ({@code /app/render.js:12}). */
  private static final Pattern NODE_LOCATION = Pattern.compile("(?:/|file://|node:)\\S*:\\d+");

  /** The caret Node.js prints under the throwing line of source. */
  private static final Pattern CARET = Pattern.compile("\\s*\\^+\\s*");

  /** Node.js's last line of an uncaught error: {@code Node.js v20.11.1}. */
  private static final Pattern NODE_VERSION = Pattern.compile("Node\\.js v\\d+(?:\\.\\d+)*");

  /** How many lines of a JVM exception's message after its first are held for the frames to come. */
  private static final int MAX_MESSAGE_LINES = 20;

  /** How soon after the line before it a line of an exception's message comes: one burst of output. */
  static final long MESSAGE_BURST_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

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

  /** The shapes of traceback read. */
  private enum Shape { PYTHON, STACK, GO, RUST }

  /**
   * The lines of a Go program's panic or fatal error after its first ({@code panic: runtime
   * error: ...}): goroutine headers ({@code goroutine 1 [running]:}), calls ({@code
   * main.(*Queue).claim(0xc000012345)}) each over its place ({@code \t/app/queue.go:42 +0x1d}),
   * {@code [signal SIGSEGV: ...]}, {@code created by ...}, {@code exit status 2} from {@code go run}.
   */
  private static final Pattern GO_PANIC = Pattern.compile(
      "goroutine \\d+ .*:|\\[signal .*]|\t.*|\\S+\\(.*\\)|created by .*|exit status \\d+|panic: .*"
          + "|\\.\\.\\.additional frames elided\\.\\.\\.");

  /**
   * A Rust program's panic: {@code thread 'main' panicked at src/main.rs:2:5:}, with the thread's
   * id since Rust 1.88 ({@code thread 'main' (4242) panicked at ...}), or the message before the
   * place before Rust 1.73 ({@code thread 'main' panicked at 'index out of bounds', ...}).
   */
  private static final Pattern RUST_PANIC = Pattern.compile("thread '.*'(?: \\(\\d+\\))? panicked at .*");

  /** The lines after a Rust panic's message: its backtrace, and Rust's notes on getting one. */
  private static final Pattern RUST_BACKTRACE = Pattern.compile("stack backtrace:|\\s+\\d+: .*|\\s+at .*|note: .*");

  /** A line as it arrived: its record, the moment, and the task it was filed under then. */
  record Line(Instant at, Level level, String message, String task, Map<String, Object> metadata, long arrivedNanos) {}

  /** Where the records go. */
  interface Sink {
    void record(Instant at, Level level, String message, String task, Map<String, Object> metadata);
  }

  private final Sink sink;
  private final long quietNanos;
  private final int maxChars;

  private Line held;                      // an ERROR line, not recorded yet
  private Line heldWarning;               // a Python warning, whose source line may follow
  private Line heldJulSource;             // java.util.logging's first line of a record, and its text
  private String heldJulSourceText;
  private List<Line> prelude;             // what Node.js prints before an uncaught error, so far
  private List<String> preludeTexts;
  private Line heldExceptionLine;         // a line that may start a stack trace, with its text
  private String heldExceptionText;
  private final List<Line> heldMessageLines = new ArrayList<>();   // and the lines of its message after it
  private final List<String> heldMessageTexts = new ArrayList<>();
  private List<String> traceback;         // the traceback being read, from its first line
  private Shape shape;                    // whose it is
  private Line tracebackStart;            // its first line
  private Line owner;                     // the ERROR line it belongs to, if any
  private boolean framesSeen;
  private boolean afterException;         // Python's exception line came: a chained traceback may follow
  private boolean inMessage;              // and the lines since are its message's
  private String exceptionLine;           // the record's message
  private Level tracebackLevel;           // the record's level when it has no owner
  private int tracebackChars;
  private long lastNanos;

  Tracebacks(Sink sink, long quietNanos, int maxChars) {
    this.sink = sink;
    this.quietNanos = quietNanos;
    this.maxChars = maxChars;
  }

  synchronized void line(Line line, String text) {
    boolean sameBurst = line.arrivedNanos() - lastNanos <= MESSAGE_BURST_NANOS;
    lastNanos = line.arrivedNanos();
    if (heldJulSource != null) {
      Line source = heldJulSource;
      String sourceText = heldJulSourceText;
      heldJulSource = null;
      heldJulSourceText = null;
      Matcher julLevel = JUL_LEVEL.matcher(text);
      if (sameBurst && julLevel.matches()) {
        take(julRecord(source, sourceText, julLevel), text, sameBurst);   // the two lines are one record
        return;
      }
      sink.record(source.at(), source.level(), source.message(), source.task(), source.metadata());
    }
    take(line, text, sameBurst);
  }

  private void take(Line line, String text, boolean sameBurst) {
    if (traceback != null) {
      boolean fits = tracebackChars + text.length() <= maxChars;
      boolean continues = switch (shape) {
        case PYTHON -> continuesPython(text, sameBurst);
        case STACK -> continuesStack(text);
        case GO -> continuesGoPanic(text);
        case RUST -> continuesRustPanic(text, sameBurst);
      };
      if (fits && continues) {
        return;
      }
      recordTraceback();   // what follows is a line of its own
    }
    if (heldWarning != null) {
      Line warning = heldWarning;
      heldWarning = null;
      if (!text.isBlank() && Character.isWhitespace(text.charAt(0))) {
        RecordMetadata metadata = new RecordMetadata(warning.metadata().size() + 1);
        metadata.putAll(warning.metadata());
        metadata.put("source", text.strip());   // "  warnings.warn(": not a record of its own
        sink.record(warning.at(), warning.level(), warning.message(), warning.task(), metadata);
        return;
      }
      sink.record(warning.at(), warning.level(), warning.message(), warning.task(), warning.metadata());
    }
    if (prelude != null) {
      if (continuesPrelude(text)) {
        prelude.add(line);
        preludeTexts.add(text);
        return;
      }
      if (prelude.size() >= 3 && isExceptionLine(text)) {
        // Node.js's uncaught error: where it was thrown, that line of source, a caret, the error.
        startTraceback(Shape.STACK, prelude.get(0), line.message(), Level.ERROR);
        preludeTexts.forEach(this::add);
        add(text);
        prelude = null;
        preludeTexts = null;
        return;
      }
      release();           // it was not one
    }
    boolean frame = isFrame(text);
    if (heldExceptionLine != null && !frame) {
      if (sameBurst && heldMessageLines.size() < MAX_MESSAGE_LINES && continuesMessage(text)) {
        // More of the exception's message: PSQLException's "  Detail: Key (id)=(42) already exists."
        heldMessageLines.add(line);
        heldMessageTexts.add(text);
        return;
      }
      release();           // it did not start a stack trace
    }
    if (text.equals(START)) {
      startTraceback(Shape.PYTHON, line, START, Level.ERROR);
      add(text);
      return;
    }
    if (text.startsWith("panic: ") || text.startsWith("fatal error: ")) {
      startTraceback(Shape.GO, line, line.message(), Level.ERROR);
      add(text);
      return;
    }
    if (text.startsWith("thread '") && RUST_PANIC.matcher(text).matches()) {
      startTraceback(Shape.RUST, line, line.message(), Level.ERROR);
      add(text);
      inMessage = text.endsWith(":");   // since Rust 1.73 the message comes on the next line
      return;
    }
    if (frame) {
      if (heldExceptionLine != null) {
        startTraceback(Shape.STACK, heldExceptionLine, heldExceptionLine.message(), Level.ERROR);
        add(heldExceptionText);
        heldMessageTexts.forEach(this::add);
        heldExceptionLine = null;
        heldExceptionText = null;
        heldMessageLines.clear();
        heldMessageTexts.clear();
      } else {
        startTraceback(Shape.STACK, line, text.strip(), line.level());
      }
      add(text);
      return;
    }
    if (isExceptionLine(text)) {
      heldExceptionLine = line;   // held with the ERROR line before it, which it may belong to
      heldExceptionText = text;
      return;
    }
    release();
    if (text.isBlank()) {
      return;   // says nothing: not a record (on stderr it was an empty warning)
    }
    if (isPythonWarning(text)) {
      heldWarning = line;   // its source line may follow
      return;
    }
    if (isNodeLocation(text)) {
      prelude = new ArrayList<>(List.of(line));   // an uncaught error of Node.js's may follow
      preludeTexts = new ArrayList<>(List.of(text));
      return;
    }
    if (isJulSource(text)) {
      heldJulSource = line;   // its level and message come on the next line
      heldJulSourceText = text;
      return;
    }
    if (line.level().isAtLeast(Level.ERROR)) {
      held = line;
    } else {
      sink.record(line.at(), line.level(), line.message(), line.task(), line.metadata());
    }
  }

  /**
   * Records the held lines now: the current task is about to change, and a held line without a
   * task would otherwise be filed under the next one.
   */
  synchronized void releaseHeld() {
    release();
  }

  /** Records what has waited for a quiet period. */
  synchronized void tick(long nowNanos) {
    if (nowNanos - lastNanos < quietNanos) {
      return;
    }
    if (traceback != null) {
      recordTraceback();
    }
    release();
  }

  /** The stream ended: records everything held. */
  synchronized void end() {
    if (traceback != null) {
      recordTraceback();
    }
    release();
  }

  /**
   * Takes a line of a Python traceback; {@code false} when the line is not part of it. {@code
   * sameBurst}: the line came right after the one before it, as the lines of one traceback do.
   */
  private boolean continuesPython(String text, boolean sameBurst) {
    if (!afterException) {
      boolean frame = !text.isEmpty() && (text.charAt(0) == ' ' || text.charAt(0) == '\t');
      if (frame) {
        add(text);
        framesSeen = true;
        return true;
      }
      if (framesSeen && !text.isBlank()) {
        add(text);   // the exception line, "RuntimeError: CUDA out of memory"; a chained one may follow
        exceptionLine = text;
        afterException = true;
        inMessage = true;
        return true;
      }
      return false;
    }
    if (text.isBlank() || CHAINED.contains(text)) {
      add(text);
      inMessage = false;
      return true;
    }
    if (text.equals(START)) {
      add(text);     // the next exception of the chain: the last one printed is the message
      afterException = false;
      framesSeen = false;
      inMessage = false;
      return true;
    }
    if (inMessage && owner == null && sameBurst && continuesMessage(text)) {
      add(text);
      return true;
    }
    return false;
  }

  /**
   * Whether a line right after an exception line is more of its message: PyTorch's CUDA errors
   * go on for three lines ("CUDA kernel errors might be asynchronously reported ...", "For
   * debugging consider passing CUDA_LAUNCH_BLOCKING=1", ...), a PSQLException for its "Detail:".
   * For Python only after a traceback that no logged line owns (uncaught, the worker about to
   * exit): after {@code logging.exception} the next lines are the worker's own. For the JVM only
   * until its frames come. A line naming its level, or a JSON object, is not.
   */
  private static boolean continuesMessage(String text) {
    return !text.isBlank() && text.charAt(0) != '{' && !text.equals(START)
        && ChildLineParser.levelNamedNearStart(text) == null && ChildLineParser.glogLevel(text) == null;
  }

  /** Takes a line of a Go program's panic; {@code false} when the line is not part of it. */
  private boolean continuesGoPanic(String text) {
    if (text.isBlank() || GO_PANIC.matcher(text).matches()) {
      add(text);
      return true;
    }
    return false;
  }

  /**
   * Takes a line of a Rust program's panic; {@code false} when the line is not part of it. The
   * line after {@code thread 'main' panicked at src/main.rs:2:5:} is the panic's message, and
   * the record's message is the two together.
   */
  private boolean continuesRustPanic(String text, boolean sameBurst) {
    if (inMessage && traceback.size() == 1 && !text.isBlank()) {
      add(text);
      exceptionLine = exceptionLine + " " + text;
      return true;
    }
    if (RUST_BACKTRACE.matcher(text).matches()) {
      add(text);
      inMessage = false;
      return true;
    }
    if (inMessage && sameBurst && continuesMessage(text)) {
      add(text);   // a message of several lines
      return true;
    }
    return false;
  }

  /** Takes a line of a JVM or Node.js stack trace; {@code false} when the line is not part of it. */
  private boolean continuesStack(String text) {
    // Blank lines are kept only if more of the trace follows: Node.js ends an uncaught error's
    // with a blank line and its version.
    if (isFrame(text) || text.isBlank() || STACK_CONTINUATION.matcher(text).matches() || NODE_VERSION.matcher(text).matches()) {
      add(text);
      return true;
    }
    return false;
  }

  // The first character rules most lines out before a regular expression runs: a line of the
  // seed's format, "[12:00:00] INFO ...", cost about 8% of heartlog run's lines per second without
  // (BENCHMARKS.md §7).

  private static boolean isFrame(String text) {
    return !text.isEmpty() && Character.isWhitespace(text.charAt(0)) && FRAME.matcher(text).matches();
  }

  /**
   * What may come after Node.js's first line of an uncaught error ({@code /app/render.js:12}):
   * the line of source, the caret under it, blank lines.
   */
  private boolean continuesPrelude(String text) {
    return switch (prelude.size()) {
      case 1 -> !text.isBlank();
      case 2 -> CARET.matcher(text).matches();
      default -> text.isBlank() && prelude.size() < 6;
    };
  }

  private static boolean isJulSource(String text) {
    return text.charAt(0) >= 'A' && text.charAt(0) <= 'Z' && JUL_SOURCE.matcher(text).matches();
  }

  /**
   * The record {@code java.util.logging} printed over two lines: the first line's time, task and
   * class and method (as the record's {@code logger} and {@code method}), the second's level and
   * message.
   */
  private static Line julRecord(Line source, String sourceText, Matcher julLevel) {
    Matcher place = JUL_SOURCE.matcher(sourceText);
    RecordMetadata metadata = new RecordMetadata(source.metadata().size() + 2);
    metadata.putAll(source.metadata());
    if (place.matches()) {
      metadata.put("logger", place.group("class"));
      if (place.group("method") != null) {
        metadata.put("method", place.group("method"));
      }
    }
    Level level = switch (julLevel.group("level")) {
      case "SEVERE" -> Level.ERROR;
      case "WARNING" -> Level.WARNING;
      case "INFO" -> Level.INFO;
      default -> Level.DEBUG;   // CONFIG, FINE, FINER, FINEST
    };
    return new Line(source.at(), level, julLevel.group("message"), source.task(), metadata, source.arrivedNanos());
  }

  private static boolean isNodeLocation(String text) {
    return (text.charAt(0) == '/' || text.startsWith("file://") || text.startsWith("node:")) && NODE_LOCATION.matcher(text).matches();
  }

  private static boolean isPythonWarning(String text) {
    return !Character.isWhitespace(text.charAt(0)) && text.contains("Warning: ") && PYTHON_WARNING.matcher(text).matches();
  }

  private static boolean isExceptionLine(String text) {
    char first = text.isEmpty() ? ' ' : text.charAt(0);
    return (Character.isLetter(first) || first == '_' || first == '$') && EXCEPTION_LINE.matcher(text).matches();
  }

  /** Starts reading a traceback, which belongs to the held ERROR line if there is one. */
  private void startTraceback(Shape kind, Line start, String message, Level level) {
    owner = held;
    held = null;
    traceback = new ArrayList<>();
    shape = kind;
    tracebackStart = start;
    exceptionLine = message;
    tracebackLevel = level;
    framesSeen = false;
    afterException = false;
    inMessage = false;
    tracebackChars = 0;
  }

  private void add(String text) {
    traceback.add(text);
    tracebackChars += text.length() + 1;
  }

  /** Records the held lines, in the order they came. */
  private void release() {
    if (held != null) {
      sink.record(held.at(), held.level(), held.message(), held.task(), held.metadata());
      held = null;
    }
    if (heldWarning != null) {
      Line line = heldWarning;
      heldWarning = null;
      sink.record(line.at(), line.level(), line.message(), line.task(), line.metadata());
    }
    if (heldJulSource != null) {
      Line line = heldJulSource;
      heldJulSource = null;
      heldJulSourceText = null;
      sink.record(line.at(), line.level(), line.message(), line.task(), line.metadata());
    }
    if (prelude != null) {
      for (int i = 0; i < prelude.size(); i++) {
        Line line = prelude.get(i);
        if (!preludeTexts.get(i).isBlank()) {
          sink.record(line.at(), line.level(), line.message(), line.task(), line.metadata());
        }
      }
      prelude = null;
      preludeTexts = null;
    }
    if (heldExceptionLine != null) {
      Line line = heldExceptionLine;
      heldExceptionLine = null;
      heldExceptionText = null;
      sink.record(line.at(), line.level(), line.message(), line.task(), line.metadata());
      for (Line message : heldMessageLines) {
        sink.record(message.at(), message.level(), message.message(), message.task(), message.metadata());
      }
      heldMessageLines.clear();
      heldMessageTexts.clear();
    }
  }

  private void recordTraceback() {
    while (traceback.get(traceback.size() - 1).isBlank()) {
      traceback.remove(traceback.size() - 1);   // blank lines after the last exception line
    }
    RecordMetadata metadata = new RecordMetadata(4);
    Line line = owner != null ? owner : tracebackStart;
    metadata.putAll(line.metadata());
    metadata.put("exception", String.join("\n", traceback));
    if (owner != null) {
      sink.record(owner.at(), owner.level(), owner.message(), owner.task(), metadata);
    } else {
      Level level = line.level().isAtLeast(tracebackLevel) ? line.level() : tracebackLevel;
      sink.record(line.at(), level, exceptionLine, line.task(), metadata);
    }
    traceback = null;
    tracebackStart = null;
    owner = null;
  }
}
