package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Makes a traceback one record, as the seed's Python worker stores it: the lines of the
 * traceback go into the record's {@code exception}, its exception line is the message, and it is
 * an ERROR. These are read ({@link TracebackLines} and each runtime's class it names know their
 * lines, {@link OpenTraceback} reads one):
 *
 * <ul>
 *   <li>Python's, from {@code Traceback (most recent call last):} to the exception line. Chained
 *       exceptions ("During handling of the above exception, ...") are one traceback, whose
 *       message is the last exception line, also where the chain's first exception has no frames
 *       (a cause never raised, a process pool's quoted copy of its worker's traceback). An
 *       exception group's too, its message the group's.
 *   <li>A stack trace of the JVM or Node.js: an exception line ({@code java.io.IOException:
 *       disk full}, {@code Exception in thread "main" ...}, {@code TypeError: ...}) followed by
 *       frames ({@code \tat com.example.Render.run(Render.java:42)}, {@code     at render
 *       (/app/render.js:12:5)}), with its {@code Caused by:}, {@code Suppressed:} and {@code ...
 *       12 more} lines; for Node.js's uncaught error, also the place, source line and caret
 *       printed before it and the version after it. Frames that come with no exception line
 *       before them are one record too, at the level of their first line.
 *   <li>rich's traceback, in its box, and the exception line below it.
 *   <li>Python's {@code faulthandler} dump, {@code Fatal Python error: Segmentation fault} (an
 *       ERROR) or a dump of threads' stacks alone (at its stream's level), with every thread's
 *       stack.
 *   <li>HotSpot's report of the JVM's crash ({@code # A fatal error has been detected by the
 *       Java Runtime Environment:}, a {@code #} before each line).
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
 * record instead of one of its own, so one failure is one error; so does one read with a
 * logger's line naming WARNING ({@code log.warning("retrying", exc_info=True)}), so that a retry
 * is no error. The lines naming no level read with a held ERROR line, or in one read with any
 * line, are more of its message ({@link #furtherLine}): a message of several lines, a JSON
 * document printed in one write, is one record. A traceback read with an INFO or DEBUG line, or
 * one naming no level, is an error of its own.
 * A blank line outside a traceback is no record at all.
 *
 * <p>For that, a line naming ERROR or CRITICAL, a line that may begin a traceback or a record
 * of two lines, and the lines of a JVM exception's message are held until the next line shows
 * what they are, or the stream has been quiet for {@code quietNanos} ({@link #tick}); a traceback
 * is held until the first line that is not part of it. Records keep the time and the task of
 * their first line's arrival; a logger's WARNING line is held until the lines of its read are
 * passed on ({@link #reading}). Other lines are recorded at once. One instance reads one stream;
 * {@link #tick} and {@link #releaseHeld} come from other threads.
 */
final class Tracebacks {

  /**
   * A line that begins with a tag in brackets, closed before any other bracket opens, and text
   * after it: {@code [step 3/10] loss=0.41}, {@code (pid=4121) loading}, {@code [rank0]: ...}.
   * Not {@code [1, 2, 3]}, {@code [('a', 1),}, nor Node's {@code [Object: null prototype]} before
   * an object's brace.
   */
  private static final Pattern TAGGED_LINE = Pattern.compile("[\\[(][^\\[\\](){}]*[\\])]:?[ \\t]+[^\\s\\[({]");

  /**
   * A row of a table of fields a logger's message ends with, its value padded to a column: Dask's
   * {@code Compute Failed} and the {@code Key:       render-1520d7c0}, {@code args:      (3)} and
   * {@code Exception: "RuntimeError('frame 3')"} below it. Group 1 is the padding.
   */
  private static final Pattern TABLE_ROW = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,24}:( +)\\S");

  /** How many lines of a JVM exception's message after its first are held for the frames to come. */
  private static final int MAX_MESSAGE_LINES = 20;

  /** How soon after the line before it a line of an exception's message comes: one burst of output. */
  static final long MESSAGE_BURST_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /**
   * How many quiet periods a traceback whose lines may come far apart ({@link
   * OpenTraceback#printsSlowly}) waits for its next line: 1 s with {@code heartlog run}'s 200 ms.
   */
  static final int SLOW_TRACEBACK_QUIET = 5;

  /** A line as it arrived: its record, the moment, and the task it was filed under then. */
  record Line(Instant at, Level level, String message, String task, Map<String, Object> metadata, long arrivedNanos,
      boolean ownLevel) {

    /** The same line with another message and metadata. */
    Line withMessage(String message, Map<String, Object> metadata) {
      return new Line(at, level, message, task, metadata, arrivedNanos, ownLevel);
    }

    /** A line whose level is the stream's, for one that names none. */
    Line(Instant at, Level level, String message, String task, Map<String, Object> metadata, long arrivedNanos) {
      this(at, level, message, task, metadata, arrivedNanos, false);
    }
  }

  /** Where the records go. */
  interface Sink {
    void record(Instant at, Level level, String message, String task, Map<String, Object> metadata);
  }

  /** Lines come from the stream's reading thread, {@link #tick} from another. */
  private final Object lock = new Object();
  private final Sink sink;
  private final long quietNanos;
  private final int maxChars;

  private Line held;                      // an ERROR or WARNING line, or a record of several lines, not recorded yet
  /** The line being taken came in one burst with the line before it ({@link #MESSAGE_BURST_NANOS}). */
  private boolean lineInBurst = true;
  private boolean heldForThisRead;        // held is a line below ERROR, held until its read's lines are passed on
  /**
   * Held is a logger's line that says nothing ({@code log.warning("\n*****\n...")}) or ends in a
   * colon ({@code log.info("Loaded config:\n%s", yaml.dump(config))}): its message is on the lines
   * after it, and a line of text among them, not indented, is more of it too.
   */
  private boolean heldTakesText;
  private boolean heldTable;              // held ends in a table's rows (TABLE_ROW): its next rows join it
  private int heldBlankLines;             // blank lines after held, joined to it if a further line follows
  private Line heldWarning;               // a Python warning, whose source line may follow
  private Line heldJulSource;             // java.util.logging's first line of a record, and its text
  private String heldJulSourceText;
  private Prelude prelude;                // what may come before a report of a runtime's, so far
  private HeldException heldException;   // a line that may start a stack trace, and its message's lines
  private OpenTraceback traceback;        // the traceback being read, if any
  private long lastNanos;
  private boolean reading;                // the reading thread is passing on a read's lines
  private long readNanos;                 // when it began or ended the last
  private long reads;                     // how many reads it has begun passing on

  Tracebacks(Sink sink, long quietNanos, int maxChars) {
    this.sink = sink;
    this.quietNanos = quietNanos;
    this.maxChars = maxChars;
  }

  void line(Line line, String text) {
    line(line, text, false, false);
  }

  /**
   * A line, with what its writer said of its record: vLLM ends each line of a record but its
   * last with {@code \r\n} ({@link VllmLines#continuesRecord}). Those lines are one record, its
   * message their messages a line each; a traceback among them goes into it as one after an ERROR
   * line does. Before, a message of three lines was three records (three errors for an ERROR).
   *
   * @param continuesRecord the line is a further line of the record of the line before it
   * @param moreFollows more lines of its record follow it
   */
  void line(Line line, String text, boolean continuesRecord, boolean moreFollows) {
    synchronized (lock) {
      if ((continuesRecord || moreFollows) && takesAsRecordOfLines(line, text, continuesRecord, moreFollows)) {
        lastNanos = line.arrivedNanos();
        return;
      }
      boolean sameBurst = line.arrivedNanos() - lastNanos <= MESSAGE_BURST_NANOS;
      lastNanos = line.arrivedNanos();
      lineInBurst = sameBurst;
      if (heldJulSource != null) {
        Line source = heldJulSource;
        String sourceText = heldJulSourceText;
        heldJulSource = null;
        heldJulSourceText = null;
        Matcher julLevel = JdkLines.julLevel(text);
        if (sameBurst && julLevel != null) {
          take(julRecord(source, sourceText, julLevel), text, sameBurst);   // the two lines are one record
          return;
        }
        sink.record(source.at(), source.level(), source.message(), source.task(), source.metadata());
      }
      take(line, text, sameBurst);
    }
  }

  /**
   * Takes a line that names no level, read with the line held before it, into that line's
   * message: the rest of a message of several lines ({@code log.info("config:\n%s",
   * pprint.pformat(config))}, {@code log.exception("shot 12 failed\n  model=wan2.1")}, {@code
   * print(json.dumps(result, indent=2))}), where each line was a record of its own; below
   * ERROR, only a line that looks so ({@link #looksContinued}), or any line below a logger's line
   * that says nothing or ends in a colon ({@link #heldTakesText}). The record stays held, so that a traceback after it still joins it. Blank
   * lines are kept for a line after them, and dropped when none comes. {@code
   * false}, and nothing taken, where the line is no such line: no line is held (an ERROR line, or
   * one of a lower level in its read), or the line may begin or continue something of
   * its own (a traceback, an exception's stack trace, a warning) and is to be given to {@link
   * #line} as any other.
   */
  boolean furtherLine(Line line, String text) {
    synchronized (lock) {
      if (held == null || !(held.level().isAtLeast(Level.ERROR) || heldForThisRead) || traceback != null
          || heldException != null || heldWarning != null || prelude != null || heldJulSource != null
          || held.message().length() + heldBlankLines + text.length() >= maxChars) {
        return false;
      }
      if (text.isBlank()) {
        heldBlankLines++;
        lastNanos = line.arrivedNanos();
        return true;
      }
      boolean row = isTableRow(text);
      if (!row && (!held.level().isAtLeast(Level.ERROR) && !heldTakesText && !looksContinued(text)
          || text.equals(PythonTracebackLines.PYTHON_START) || text.equals(PythonTracebackLines.PYTHON_GROUP_START)
          || TracebackLines.isExceptionLine(text) || PythonTracebackLines.isPythonTracebackHeader(text)
          || TracebackLines.isFrame(text) || PythonTracebackLines.isPythonWarning(text)
          || NodeErrorLines.isNodeLocation(text) || JdkLines.isJulSource(text)
          || PythonTracebackLines.isRichTracebackStart(text) || PythonTracebackLines.isPythonStackDump(text)
          || PythonTracebackLines.isPythonFatal(text) || PythonTracebackLines.isSyntaxErrorLocation(text)
          || NodeErrorLines.isNodeFatal(text) || text.equals(JdkLines.JVM_CRASH_MARGIN)
          || JdkLines.isJvmThreadDump(text) || beginsGoStackOfHeld(text)
          || GgmlLines.isBackendError(text) || GgmlLines.isGgmlAbort(text))) {
        return false;
      }
      heldTable = row;
      lastNanos = line.arrivedNanos();
      if (heldTakesText && held.message().endsWith(":") && held.message().indexOf('\n') < 0
          && Character.isWhitespace(text.charAt(0))) {
        // "config:" and its lines indented below it: a line of text after them is a print of its own
        heldTakesText = false;
      }
      // A message that begins with a line end (torchrun's "WARNING:torch.distributed.run:" and its
      // banner below) begins on this line, without the indent that sets it below its header
      // (.NET's console logger's).
      String message = held.message().isEmpty() ? line.message().stripLeading()
          : held.message() + "\n".repeat(heldBlankLines + 1) + line.message();
      held = new Line(held.at(), held.level(), message, held.task(), held.metadata(), held.arrivedNanos(), held.ownLevel());
      heldBlankLines = 0;
      return true;
    }
  }

  /**
   * Whether the line is a row of a table of fields of the held record's message: its value padded
   * ({@code Key:       render-1520d7c0}), or any {@code name: value} right after such a row
   * ({@code Exception: "RuntimeError('frame 3')"}, no padding where its name is the longest).
   * Each row was a warning of its own, and the exception's one that may begin a traceback. A print
   * of {@code status: ok} read with a logger's line is no row: one space, and no table before it.
   */
  private boolean isTableRow(String text) {
    Matcher row = TABLE_ROW.matcher(text);
    return row.lookingAt() && (row.group(1).length() >= 2 || heldTable);
  }

  /**
   * Whether a line read with a line below ERROR looks like more of its message: indented,
   * or a bracket's line (the first and last of {@code pprint}'s and {@code json.dumps}'s output).
   * A line of text is not taken: more likely a print of the worker's own read with it, a shell's
   * {@code echo} after {@code echo}, or a task's first line after its last, which stays a record of
   * its own. Nor is a line that begins with a tag in brackets and goes on in text ({@code [step
   * 3/10] loss=0.41}, Ray's {@code (pid=4121) loading}): a line of its own, in a format
   * heartlog does not read. A Ruby backtrace's
   * frame is taken ({@code /srv/app/jobs.rb:10:in `perform'}: Sidekiq logs a backtrace as one
   * message of several lines, its first frame on the logged line). An ERROR line takes
   * any line read with it: a print after a failure is more often about it.
   */
  private static boolean looksContinued(String text) {
    char first = text.charAt(0);
    return Character.isWhitespace(first)
        || "{}[]()".indexOf(first) >= 0 && !TAGGED_LINE.matcher(text).lookingAt()
        || TracebackLines.isRubyFrame(text);
  }

  /**
   * Takes a line of a record of several lines into {@link #held}, unless it begins a traceback
   * or one is being read, which are read as for any line; {@code false} when it is still to be
   * taken.
   */
  private boolean takesAsRecordOfLines(Line line, String text, boolean continuesRecord, boolean moreFollows) {
    if (traceback != null || text.equals(PythonTracebackLines.PYTHON_START)
        || text.equals(PythonTracebackLines.PYTHON_GROUP_START)) {
      return false;
    }
    if (continuesRecord && held != null && held.message().length() + text.length() < maxChars) {
      // at the most severe of its lines' levels: unzip's archive's name, and the error below it
      Level level = line.level().isAtLeast(held.level()) ? line.level() : held.level();
      // A first line that says nothing is no line of the message (torchrun's banner begins so).
      String message = held.message().isEmpty() ? line.message() : held.message() + "\n" + line.message();
      held = new Line(held.at(), level, message, held.task(), held.metadata(), held.arrivedNanos(), held.ownLevel());
    } else if (moreFollows) {
      release();       // a record of several lines begins, or one too long goes on as another
      held = line;
      return true;
    } else {
      return false;    // its first lines were recorded already (a quiet period between them)
    }
    if (!moreFollows) {
      release();       // its last line
    }
    return true;
  }

  private void take(Line line, String text, boolean sameBurst) {
    if (continuesHeld(line, text, sameBurst) || startsTraceback(line, text)) {
      return;
    }
    if (TracebackLines.isExceptionLine(text) || PythonTracebackLines.isPythonTracebackHeader(text)) {
      heldException = new HeldException(line, text);   // held with the ERROR line before it, which it may belong to
      return;
    }
    release();
    if (text.isBlank()) {
      return;   // says nothing: not a record (on stderr it was an empty warning)
    }
    if (PythonTracebackLines.isPythonWarning(text) || NodeErrorLines.isNodeWarning(text)) {
      heldWarning = line;   // its source line, or Node.js's note, may follow
    } else if (NodeErrorLines.isNodeLocation(text) || text.equals(JdkLines.JVM_CRASH_MARGIN)
        || text.equals(PythonTracebackLines.SOCKETSERVER_RULE) || !line.ownLevel() && JdkLines.isJvmThreadDumpTime(text)) {
      // an uncaught error of Node.js's, the JVM's crash, socketserver's report of a failed
      // request, or HotSpot's thread dump may follow
      prelude = new Prelude(line, text);
    } else if (!line.ownLevel() && GgmlLines.isAbortLine(text)) {
      prelude = new Prelude(line, text);   // ggml_abort's, if a stack follows
    } else if (JdkLines.isJulSource(text)) {
      heldJulSource = line;   // its level and message come on the next line
      heldJulSourceText = text;
    } else if (line.level().isAtLeast(Level.ERROR)) {
      held = line;
    } else if (reading) {
      // The lines naming no level written with it, in one write, may be the rest of its message
      // (furtherLine): a logger's message of several lines, a JSON document print() wrote. For a
      // logger's WARNING, so is a traceback (log.warning("retrying", exc_info=True)): the
      // warning's, not an error of its own (which failed its task). One in a later read is not:
      // an uncaught crash right after a warning stays the error it is.
      held = line;
      heldForThisRead = true;
      // log.warning("\n*****\nSetting OMP_NUM_THREADS ...") says nothing on the logger's line: the
      // lines written with it, indented or not, are its message. Each was a warning of its own.
      // So are a YAML document's lines below "Loaded config:", each an INFO record of its own before.
      heldTakesText = line.ownLevel() && (line.message().isEmpty() || line.message().endsWith(":"));
    } else {
      sink.record(line.at(), line.level(), line.message(), line.task(), line.metadata());
    }
  }

  /**
   * Takes the line into what is open or held, if it belongs there, and records what it shows
   * to be complete; {@code false} when the line is still to be taken.
   */
  private boolean continuesHeld(Line line, String text, boolean sameBurst) {
    if (traceback != null) {
      if (traceback.take(text, sameBurst, reads, line.ownLevel())) {
        return true;
      }
      recordTraceback();   // what follows is a line of its own
    }
    if (heldWarning != null) {
      Line warning = heldWarning;
      heldWarning = null;
      if (TracebackLines.isFrame(text)) {
        // Node.js's --trace-warnings: the frames where the warning was made are its exception,
        // the warning's own line naming its level
        held = new Line(warning.at(), warning.level(), warning.message(), warning.task(), warning.metadata(),
            warning.arrivedNanos(), true);
        startTraceback(OpenTraceback.Shape.STACK, line, text.strip(), warning.level());
        traceback.add(text);
        return true;
      }
      boolean source = !text.isBlank() && Character.isWhitespace(text.charAt(0));
      if (source || NodeErrorLines.isNodeTraceNote(text)) {
        // Python's "  warnings.warn(", or Node.js's "(Use `node --trace-warnings ...` to show
        // where the warning was created)": not a record of its own
        RecordMetadata metadata = new RecordMetadata(warning.metadata().size() + 1);
        metadata.putAll(warning.metadata());
        metadata.put(source ? "source" : "note", text.strip());
        sink.record(warning.at(), warning.level(), warning.message(), warning.task(), metadata);
        return true;
      }
      sink.record(warning.at(), warning.level(), warning.message(), warning.task(), warning.metadata());
    }
    if (prelude != null && prelude.firstText().equals(JdkLines.JVM_CRASH_MARGIN)) {
      if (JdkLines.isJvmCrash(text)) {
        // HotSpot's report of the JVM's crash, "#" a line: where it crashed, the version, the file.
        startTraceback(OpenTraceback.Shape.JVM_CRASH, prelude.first(), text.substring(2), Level.ERROR);
        traceback.add(prelude.firstText());
        traceback.add(text);
        prelude = null;
        return true;
      }
      release();           // a "#" of the worker's own
    }
    if (prelude != null && JdkLines.isJvmThreadDumpTime(prelude.firstText())) {
      if (JdkLines.isJvmThreadDump(text)) {
        // The line of the time HotSpot prints above its thread dump, a record of its own before:
        // the dump's dump_time. Held past its read: the two lines are two writes, and the first
        // ended a read now and then (in a test, here). Not the exception's first line, where
        // the list of errors would show the time as the error's.
        startTraceback(OpenTraceback.Shape.JVM_THREADS, line, line.message(), line.level());
        traceback.dumpTime(prelude.firstText());
        traceback.add(text);
        prelude = null;
        return true;
      }
      release();           // a time of the worker's own
    }
    if (prelude != null && prelude.firstText().equals(PythonTracebackLines.SOCKETSERVER_RULE)) {
      if (text.startsWith(PythonTracebackLines.SOCKETSERVER_FAILURE)) {
        // The rule is the frame of the report, not a record: the report's first line is held as
        // any line that heads a Python traceback, and takes the traceback below it.
        prelude = null;
        return false;
      }
      release();           // a rule of the worker's own
    }
    if (prelude != null && GgmlLines.isAbortLine(prelude.firstText())) {
      if (GgmlLines.isGlibcFrame(text) || GgmlLines.isGdbStart(text)) {
        // ggml_abort's line with a message of its own (GGML_ABORT("unknown pre-tokenizer")), and
        // the stack below it: the abort's record, its message the line.
        startTraceback(OpenTraceback.Shape.GGML_ABORT, prelude.first(), prelude.first().message(), Level.ERROR);
        traceback.add(prelude.firstText());
        traceback.take(text, sameBurst, reads, line.ownLevel());
        prelude = null;
        return true;
      }
      release();           // a place of the worker's own
    }
    if (prelude != null) {
      if (prelude.continuesNodeError(text)) {
        prelude.add(line, text);
        return true;
      }
      if (prelude.size() >= 3 && !text.isBlank() && (!prelude.text(1).isBlank() || TracebackLines.isExceptionLine(text))) {
        // Node.js's uncaught error: where it was thrown, that line of source, a caret, the error,
        // whatever was thrown: "UnhandledPromiseRejection: ...", a string (throw "oops"). Where
        // the source ended too soon, no line and no caret: "SyntaxError: Unexpected end of input".
        // An error with no frames, in brackets ("[Error: ENOENT: ...] {"), is named by its line.
        String bracketed = NodeErrorLines.nodeBracketedError(text);
        startTraceback(OpenTraceback.Shape.STACK, prelude.first(), bracketed != null ? bracketed : line.message(), Level.ERROR);
        prelude.addTo(traceback);
        traceback.add(text);
        traceback.messageMayGoOn();
        prelude = null;
        return true;
      }
      release();           // it was not one
    }
    if (heldException != null && !TracebackLines.isFrame(text)) {
      // A line Python prints above a traceback of its own says the traceback is coming, as late as
      // it comes (while the quiet holds it, tick): it writes the line, then builds the traceback
      // (reading each frame's source), then writes it. Under load "--- Logging error ---" was once
      // a record of its own, more than 50 ms before its traceback (in CI, and once here).
      boolean announced = PythonTracebackLines.isPythonTracebackHeader(heldException.text());
      if ((sameBurst || announced) && (startsPythonTracebackAtHeldLine(text) || startsRustReportAtHeldLine(text))) {
        return true;
      }
      // A line that names its own level is a record of its own: the JVM's "Dumping heap to ..."
      // after its "java.lang.OutOfMemoryError: Java heap space", which was a stack trace's message.
      if (sameBurst && heldException.messageLineCount() < MAX_MESSAGE_LINES && !line.ownLevel()
          && (text.isBlank() || !heldException.endsWithBlankLine() && TracebackLines.mayContinueMessage(text))) {
        // More of the exception's message: PSQLException's "  Detail: Key (id)=(42) already exists."
        // A blank line is held for the line after it, which may chain a Python exception to it.
        heldException.addMessageLine(line, text);
        return true;
      }
      release();           // it did not start a stack trace
    }
    return false;
  }

  /**
   * Starts a Python traceback at the held exception line where the line shows that line to be
   * its first: the first exception of a chain, one never raised and so printed without frames
   * ({@code raise RuntimeError("render failed") from ValueError("bad model")} prints {@code
   * ValueError: bad model}, a blank line, then "The above exception was the direct cause ..."),
   * the worker process's traceback a process pool's failure ({@code multiprocessing}'s, {@code
   * concurrent.futures}') prints between {@code """} lines after {@code
   * multiprocessing.pool.RemoteTraceback:}, or what Python says of a traceback it prints itself
   * ({@code Exception in thread Thread-1 (render):}, {@code Exception ignored in: <function
   * Frame.__del__ at 0x7f...>}). Before, those lines were warnings of their own beside the
   * traceback's error, and a logged pool failure ({@code log.exception("job failed")}) was an
   * error without its traceback and another with it. {@code false} where the line shows no such
   * thing.
   */
  private boolean startsPythonTracebackAtHeldLine(String text) {
    boolean remote = text.equals(OpenTraceback.QUOTE) && heldException.messageLineCount() == 0
        && heldException.text().strip().endsWith("RemoteTraceback:");
    boolean chained = PythonTracebackLines.isPythonChained(text) && heldException.endsWithBlankLine();
    boolean headed = text.equals(PythonTracebackLines.PYTHON_START) && heldException.messageLineCount() == 0
        && PythonTracebackLines.isPythonTracebackHeader(heldException.text());
    if (!remote && !chained && !headed) {
      return false;
    }
    startTracebackAtHeldLine(OpenTraceback.Shape.PYTHON, text);
    if (!headed) {
      traceback.afterExceptionWithoutFrames(remote);
    }
    return true;
  }

  /**
   * Starts the report of the error a Rust program's {@code main} returned, as anyhow prints it,
   * at the held exception line where a blank line and then {@code Caused by:} or {@code Stack
   * backtrace:} follow it ({@code Error: render failed}, {@code Caused by:}, {@code     0: decode
   * frame 3}, {@code     1: No such file or directory (os error 2)}). Before, the error was one
   * record and its causes a warning of their own. {@code false} where the line shows no such
   * thing.
   */
  private boolean startsRustReportAtHeldLine(String text) {
    if (!PanicLines.isRustReportHeading(text) || !heldException.text().startsWith("Error: ")
        || !heldException.endsWithBlankLine()) {
      return false;
    }
    startTracebackAtHeldLine(OpenTraceback.Shape.RUST_REPORT, text);
    return true;
  }

  /** Starts a traceback of the shape at the held exception line, its lines held below it, and the line. */
  private void startTracebackAtHeldLine(OpenTraceback.Shape shape, String text) {
    HeldException exception = heldException;
    heldException = null;
    startTraceback(shape, exception.line(), exception.line().message(), Level.ERROR);
    exception.addTo(traceback);
    traceback.add(text);
  }

  /**
   * Whether the line begins the stack a Go logger printed below the held record, in its read: a
   * function's name alone ({@code main.main}) after a line that says where in Go it was logged
   * ({@code caller}, as zap's development logger and Go's {@code log} with {@code Lshortfile}
   * write it). Before, zap's stack below a warning was four warnings of its own for two frames.
   */
  private boolean beginsGoStackOfHeld(String text) {
    return held != null && (heldForThisRead || held.level().isAtLeast(Level.ERROR))
        && held.metadata().get("caller") instanceof String caller && caller.contains(".go:")
        && PanicLines.isGoFunction(text);
  }

  /** Starts reading a traceback if the line begins one; {@code false} when it does not. */
  private boolean startsTraceback(Line line, String text) {
    if (beginsGoStackOfHeld(text)) {
      startTraceback(OpenTraceback.Shape.GO_STACK, line, held.message(), held.level());
    } else if (text.equals(PythonTracebackLines.PYTHON_START)) {
      startTraceback(OpenTraceback.Shape.PYTHON, line, PythonTracebackLines.PYTHON_START, Level.ERROR);
    } else if (line.ownLevel() && line.message().equals(PythonTracebackLines.PYTHON_START)) {
      // A logger's record whose message is a traceback: log.error(traceback.format_exc()). Read as
      // one, at the record's level, without the logger's prefix; before, its frames were the
      // record's message and its exception line a warning of its own.
      startTraceback(OpenTraceback.Shape.PYTHON, line, PythonTracebackLines.PYTHON_START, line.level());
      traceback.add(PythonTracebackLines.PYTHON_START);
      return true;
    } else if (PythonTracebackLines.endsWithPythonStart(line.message())) {
      // f"Task failed: {traceback.format_exc()}" (SGLang's "Scheduler hit an exception: ..."): the
      // traceback begins on the line, after its words. The line's record, its message the words
      // and its exception the traceback, at the line's own level, or ERROR where it names none, as
      // a traceback of its own is. Before, the words and the first frames were one record, the
      // exception's line another, and where the line named no level, no error was made at all.
      release();
      String message = line.message();
      held = new Line(line.at(), line.ownLevel() ? line.level() : Level.ERROR,
          message.substring(0, message.length() - PythonTracebackLines.PYTHON_START.length()).stripTrailing(),
          line.task(), line.metadata(), line.arrivedNanos(), true);
      startTraceback(OpenTraceback.Shape.PYTHON, line, PythonTracebackLines.PYTHON_START, held.level(), true);
      traceback.add(PythonTracebackLines.PYTHON_START);
      return true;
    } else if (text.equals(PythonTracebackLines.PYTHON_GROUP_START)) {
      startTraceback(OpenTraceback.Shape.PYTHON_GROUP, line, text.strip(), Level.ERROR);
    } else if (PythonTracebackLines.isSyntaxErrorLocation(text)) {
      // a script that does not compile: no traceback before its location, the exception line after
      startTraceback(OpenTraceback.Shape.PYTHON, line, PythonTracebackLines.PYTHON_START, Level.ERROR);
      traceback.frameCame();
    } else if (PythonTracebackLines.isRichTracebackStart(text)) {
      startTraceback(OpenTraceback.Shape.RICH, line, line.message(), Level.ERROR);
    } else if (PythonTracebackLines.isPythonFatal(text)) {
      startTraceback(OpenTraceback.Shape.PYTHON_DUMP, line, line.message(), Level.ERROR);
    } else if (PythonTracebackLines.isPythonStackDump(text)) {
      startTraceback(OpenTraceback.Shape.PYTHON_DUMP, line, line.message(), line.level());
    } else if (JdkLines.isJvmThreadDump(text)) {
      startTraceback(OpenTraceback.Shape.JVM_THREADS, line, line.message(), line.level());
    } else if (NodeErrorLines.isNodeFatal(text)) {
      startTraceback(OpenTraceback.Shape.NODE_FATAL, line, line.message(), Level.CRITICAL);
    } else if (PanicLines.isGoPanic(text)) {
      startTraceback(OpenTraceback.Shape.GO, line, line.message(), Level.ERROR);
    } else if (PanicLines.isRustPanic(text)) {
      startTraceback(OpenTraceback.Shape.RUST, line, line.message(), Level.ERROR);
      if (text.endsWith(":")) {
        traceback.messageFollows();   // since Rust 1.73 the message comes on the next line
      }
    } else if (PanicLines.isCppTerminate(text)) {
      startTraceback(OpenTraceback.Shape.CPP_TERMINATE, line, line.message(), Level.ERROR);
    } else if (GgmlLines.isBackendError(text) || GgmlLines.isGgmlAbort(text)) {
      startTraceback(OpenTraceback.Shape.GGML_ABORT, line, line.message(), Level.ERROR);
    } else if (TracebackLines.isFrame(text)) {
      if (heldException != null) {
        startTracebackAtHeldLine(OpenTraceback.Shape.STACK, text);   // the exception's line, its message, the frame
        return true;
      }
      Line said = held == null || held.ownLevel() || !lineInBurst ? null : held;   // a line of the stream's, in this burst
      String embedded = said == null ? null : NodeErrorLines.embeddedError(said.message());
      int appended = held != null && held.ownLevel() && lineInBurst && text.startsWith("\tat ")
          && held.level().isAtLeast(Level.WARNING) ? TracebackLines.appendedJvmException(held.message()) : -1;
      if (embedded != null) {
        // console.error("render failed:", err): the line is the error's record, its message the
        // line, its exception the error from its line on. Before, the line was a warning, and the
        // frames one of their own, named by the first.
        held = null;
        startTraceback(OpenTraceback.Shape.STACK, said, said.message(), Level.ERROR);
        traceback.add(embedded);
      } else if (appended >= 0) {
        // JBoss LogManager's "%s%e" (Quarkus, WildFly): the exception's line after the logger's
        // message, its frames below. The message is the logger's, the exception from its class
        // on; before, the exception began at its first frame, and named its kind so.
        String exceptionLine = held.message().substring(appended + 2);
        held = held.withMessage(held.message().substring(0, appended), held.metadata());
        startTraceback(OpenTraceback.Shape.STACK, line, exceptionLine, line.level());
        traceback.add(exceptionLine);
      } else if (said != null && said.message().startsWith(NodeErrorLines.NODE_TRACE)) {
        // console.trace("slow frame 3"): where it was called, at the line's level (no error).
        held = null;
        startTraceback(OpenTraceback.Shape.STACK, said, said.message(), said.level());
        traceback.add(said.message());
      } else {
        startTraceback(OpenTraceback.Shape.STACK, line, text.strip(), line.level());
      }
    } else {
      return false;
    }
    traceback.add(text);
    return true;
  }

  /**
   * The current task is about to change: records the held lines now if one of them has no task,
   * since the agent would file it under the next one. Lines that arrived with a task keep it and
   * stay held: the other stream's thread may start the next task before this stream's thread has
   * read the traceback that follows an ERROR line, as rq's burst worker's next job did under load
   * (seen in CI), and the traceback then became a record of its own under the next job.
   *
   * <p>A line that may begin a stack trace of its own (an exception's line and its message,
   * Node.js's place of an uncaught error) stays held too, as a traceback being read does: a
   * worker that crashes as it begins a task prints it on stderr while its task's start is read on
   * stdout, and the frames after it became a record of their own, the crash's line a warning
   * without them (a Java worker's, once in ten runs).
   */
  void releaseHeld() {
    synchronized (lock) {
      if (Stream.of(held, heldWarning, heldJulSource).anyMatch(Tracebacks::withoutTask)) {
        release();
      }
    }
  }

  private static boolean withoutTask(Line line) {
    return line != null && line.task() == null;
  }

  /**
   * The reading thread begins ({@code true}) or has ended ({@code false}) passing on the lines of
   * one read: meanwhile the stream is not quiet, however long that thread is kept from running (a
   * busy machine), and a held ERROR line waits for the traceback already read behind it.
   */
  void reading(boolean reading, long nowNanos) {
    this.reading(reading, nowNanos, false);
  }

  /**
   * As {@link #reading(boolean, long)}; {@code midLine}: the read ended within a line, which the
   * next read ends, and which may still be of the held line's write: print(text) writes the text
   * and its line end apart.
   */
  void reading(boolean reading, long nowNanos, boolean midLine) {
    synchronized (lock) {
      this.reading = reading;
      readNanos = nowNanos;
      if (reading) {
        reads++;
      }
      if (!reading && !midLine && heldForThisRead && held != null) {
        // Nothing more came in its read. What came after it stays held: an exception's line, or
        // the line Python prints above a traceback of its own, waits for what follows in the next
        // read ("--- Logging error ---" after a logged INFO line, in one read, was recorded alone
        // here, its traceback an error without it: in CI, now and then).
        releaseHeldLine();
      }
    }
  }

  /**
   * Records what has waited for a quiet period ({@link #SLOW_TRACEBACK_QUIET} times as long for a
   * slow traceback, or for one Python's header line says is coming: {@code Process Process-1:} is
   * written before the child process's traceback, whose frames Python prints as it reads their
   * source; under load the header was once recorded as a warning of its own, in CI; or for the
   * stack ggml's abort prints with gdb, which takes a second to attach).
   */
  void tick(long nowNanos) {
    synchronized (lock) {
      boolean slow = traceback != null && traceback.printsSlowly()
          || heldException != null && PythonTracebackLines.isPythonTracebackHeader(heldException.text())
          || prelude != null && GgmlLines.isAbortLine(prelude.firstText());   // gdb attaches before the stack
      long quiet = slow ? quietNanos * SLOW_TRACEBACK_QUIET : quietNanos;
      if (!reading && heldForThisRead && held != null && nowNanos - lastNanos >= quiet) {
        // Held past its read for the end of a line a read cut (reading), which has not come: a
        // progress bar redrawn in place (tqdm's, below a logged line) keeps the stream busy but
        // ends no line, and the record would wait for the bar's next report, up to 10 s.
        release();
      }
      if (reading || nowNanos - Math.max(lastNanos, readNanos) < quiet) {
        return;
      }
      end();
    }
  }

  /** The stream ended: records everything held. */
  void end() {
    synchronized (lock) {
      if (traceback != null) {
        recordTraceback();
      }
      release();
    }
  }

  /**
   * The record {@code java.util.logging} printed over two lines: the first line's time, task and
   * class and method (as the record's {@code logger} and {@code method}), the second's level and
   * message.
   */
  private static Line julRecord(Line source, String sourceText, Matcher julLevel) {
    Matcher place = JdkLines.julSource(sourceText);
    RecordMetadata metadata = new RecordMetadata(source.metadata().size() + 2);
    metadata.putAll(source.metadata());
    if (place != null) {
      metadata.put("logger", place.group("class"));
      if (place.group("method") != null) {
        metadata.put("method", place.group("method"));
      }
    }
    Level level = JdkLines.julLevelOf(julLevel.group("level"));
    return new Line(source.at(), level, julLevel.group("message"), source.task(), metadata, source.arrivedNanos(), true);
  }

  /** Records the line held for the lines of its record that may follow it, the first of the held lines. */
  private void releaseHeldLine() {
    heldForThisRead = false;
    heldTakesText = false;
    heldTable = false;
    heldBlankLines = 0;
    if (held != null) {
      Line record = MonologLines.laidOut(DotNetConsoleLines.laidOut(held));
      sink.record(record.at(), record.level(), record.message(), record.task(), record.metadata());
      held = null;
    }
  }

  /** Records the held lines, in the order they came. */
  private void release() {
    releaseHeldLine();
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
      Prelude lines = prelude;
      prelude = null;
      lines.recordTo(sink);
    }
    if (heldException != null) {
      HeldException exception = heldException;
      heldException = null;
      exception.recordTo(sink);
    }
  }

  /**
   * Starts reading a traceback, which belongs to the held line where one may own it: an ERROR
   * line, a logger's WARNING, or any line a Go logger's stack follows. Another held line is
   * recorded first, as a record of its own.
   */
  private void startTraceback(OpenTraceback.Shape shape, Line start, String message, Level level) {
    startTraceback(shape, start, message, level, false);
  }

  /** @param heldOwnsIt the held line is the traceback's owner, whatever its level and whenever it came */
  private void startTraceback(OpenTraceback.Shape shape, Line start, String message, Level level, boolean heldOwnsIt) {
    Line owner = held;
    boolean owns = owner != null && (heldOwnsIt || switch (shape) {
      case JVM_THREADS -> false;   // asked for from outside (kill -3, jstack): no line before it is its owner
      case GO_STACK -> true;
      // A crash, no warning's: llama.cpp's warning right before it kept ggml's abort as its exception.
      case GGML_ABORT -> lineInBurst && owner.level().isAtLeast(Level.ERROR);
      default -> lineInBurst && (owner.level().isAtLeast(Level.ERROR) || owner.ownLevel() && owner.level() == Level.WARNING);
    });
    if (owner != null && !owns) {
      // An INFO line, or one naming no level, and a traceback in one read: most likely a crash
      // printed right after it, read together on a busy machine, which must stay the error it is.
      // A Go logger's stack is no crash. An ERROR line and a traceback that began after a pause:
      // the next command's crash, as python3 starting after pip's error in a start script
      // (seen: pip's "No matching distribution found" carried the traceback of "import torch"
      // from the command after it, 80 ms later); a logger writes its record's traceback with it.
      sink.record(owner.at(), owner.level(), owner.message(), owner.task(), owner.metadata());
      owner = null;
    }
    traceback = new OpenTraceback(shape, start, owner, message, level, maxChars);
    held = null;
    heldForThisRead = false;
    heldTakesText = false;
    heldTable = false;
    heldBlankLines = 0;
  }

  private void recordTraceback() {
    traceback.record(sink);
    traceback = null;
  }
}
