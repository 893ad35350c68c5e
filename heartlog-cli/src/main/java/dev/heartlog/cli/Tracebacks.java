package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
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
 *
 * <p>The held line and what joins it are a {@link HeldRecord}; which line begins a traceback,
 * what is held before one and whose it is, {@link TracebackStarts}; the traceback being read, an
 * {@link OpenTraceback}. This class holds what is left: the Python warning and its line of source,
 * {@code java.util.logging}'s two lines, and when the held lines are recorded.
 */
final class Tracebacks {

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

  private final HeldRecord held = new HeldRecord();   // an ERROR or WARNING line, or a record of several lines
  private final TracebackStarts starts;
  private final Predicate<String> beginsItsOwn;
  private Line heldWarning;               // a Python warning, whose source line may follow
  private Line heldJulSource;             // java.util.logging's first line of a record, and its text
  private String heldJulSourceText;
  private long lastNanos;
  private boolean reading;                // the reading thread is passing on a read's lines
  private long readNanos;                 // when it began or ended the last
  private long reads;                     // how many reads it has begun passing on

  Tracebacks(Sink sink, long quietNanos, int maxChars) {
    this.sink = sink;
    this.quietNanos = quietNanos;
    this.maxChars = maxChars;
    this.starts = new TracebackStarts(sink, maxChars, held);
    this.beginsItsOwn = starts::beginsItsOwn;
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
      // A traceback its writer says is more of the held record is that record's, however late it
      // comes: web UI's error report formats its traceback before it prints it, which under load
      // took longer than a burst, and the traceback was an error of its own beside the report's.
      starts.lineInBurst(sameBurst || continuesRecord);
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
   * Takes a line that names no level, read with the line held before it, into that line's message
   * ({@link HeldRecord#takesFurther}). The record stays held, so that a traceback after it still
   * joins it. {@code false}, and nothing taken, where the line is no such line: no line is held
   * (an ERROR line, or one of a lower level in its read), or the line may begin or continue
   * something of its own (a traceback, an exception's stack trace, a warning) and is to be given
   * to {@link #line} as any other.
   */
  boolean furtherLine(Line line, String text) {
    synchronized (lock) {
      if (starts.holds() || heldWarning != null || heldJulSource != null
          || !held.takesFurther(line, text, maxChars, beginsItsOwn)) {
        return false;
      }
      lastNanos = line.arrivedNanos();
      return true;
    }
  }

  /**
   * Takes a line of a record of several lines into the held record, unless it begins a traceback
   * or one is being read, which are read as for any line; {@code false} when it is still to be
   * taken.
   */
  private boolean takesAsRecordOfLines(Line line, String text, boolean continuesRecord, boolean moreFollows) {
    if (starts.readingTraceback() || text.equals(PythonTracebackLines.PYTHON_START)
        || text.equals(PythonTracebackLines.PYTHON_GROUP_START)) {
      return false;
    }
    if (continuesRecord && held.joinsRecordLine(line, text, maxChars)) {
      if (!moreFollows) {
        release();     // its last line
      }
      return true;
    }
    if (moreFollows) {
      release();       // a record of several lines begins, or one too long goes on as another
      held.hold(line);
      return true;
    }
    return false;      // its first lines were recorded already (a quiet period between them)
  }

  private void take(Line line, String text, boolean sameBurst) {
    if (takesIntoWarning(line, text) || starts.continues(line, text, sameBurst, reads) || starts.starts(line, text)) {
      return;
    }
    if (TracebackLines.isExceptionLine(text) || PythonTracebackLines.isPythonTracebackHeader(text)) {
      starts.holdException(line, text);   // held with the ERROR line before it, which it may belong to
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
      starts.holdPrelude(line, text);
    } else if (!line.ownLevel() && GgmlLines.isAbortLine(text)) {
      starts.holdPrelude(line, text);   // ggml_abort's, if a stack follows
    } else if (JdkLines.isJulSource(text)) {
      heldJulSource = line;   // its level and message come on the next line
      heldJulSourceText = text;
    } else if (line.level().isAtLeast(Level.ERROR)) {
      held.hold(line);
    } else if (reading) {
      // The lines naming no level written with it, in one write, may be the rest of its message.
      // One in a later read is not: an uncaught crash right after a warning stays the error it is.
      held.holdForRead(line);
    } else {
      sink.record(line.at(), line.level(), line.message(), line.task(), line.metadata());
    }
  }

  /**
   * Takes the line into the held warning where it belongs to it, and records the warning; {@code
   * false} when the line is still to be taken.
   */
  private boolean takesIntoWarning(Line line, String text) {
    if (heldWarning == null) {
      return false;
    }
    Line warning = heldWarning;
    heldWarning = null;
    if (TracebackLines.isFrame(text)) {
      // Node.js's --trace-warnings: the frames where the warning was made are its exception,
      // the warning's own line naming its level
      held.hold(new Line(warning.at(), warning.level(), warning.message(), warning.task(), warning.metadata(),
          warning.arrivedNanos(), true));
      starts.startStack(line, text, warning.level());
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
    return false;
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
      if (Stream.of(held.line(), heldWarning, heldJulSource).anyMatch(Tracebacks::withoutTask)) {
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
      if (!reading && !midLine && held.forThisRead()) {
        // Nothing more came in its read. What came after it stays held: an exception's line, or
        // the line Python prints above a traceback of its own, waits for what follows in the next
        // read ("--- Logging error ---" after a logged INFO line, in one read, was recorded alone
        // here, its traceback an error without it: in CI, now and then).
        starts.recordHeld();
      }
    }
  }

  /**
   * Records what has waited for a quiet period ({@link #SLOW_TRACEBACK_QUIET} times as long for
   * what waits longer, {@link TracebackStarts#waitsLonger}: under load Python's header line above
   * a child process's traceback was once recorded as a warning of its own, in CI).
   */
  void tick(long nowNanos) {
    synchronized (lock) {
      long quiet = starts.waitsLonger() ? quietNanos * SLOW_TRACEBACK_QUIET : quietNanos;
      if (!reading && held.forThisRead() && nowNanos - lastNanos >= quiet) {
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
      starts.endTraceback();
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

  /** Records the held lines, in the order they came. */
  private void release() {
    starts.recordHeld();
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
    starts.release();
  }
}
