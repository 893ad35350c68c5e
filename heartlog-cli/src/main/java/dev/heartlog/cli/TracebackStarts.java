package dev.heartlog.cli;

import dev.heartlog.agent.Level;

/**
 * Where a traceback begins, and whose it is, for {@link Tracebacks}: which line begins one
 * ({@link #starts}), the lines that may come before one and are held until the next line shows
 * whether it does ({@link Prelude}, an exception's line and its message in {@link HeldException}),
 * and the traceback being read ({@link OpenTraceback}) until a line is not part of it. A traceback
 * belongs to the line held before it ({@link HeldRecord}) where that line may own it: an ERROR
 * line, a logger's WARNING, or any line a Go logger's stack follows ({@link #startTraceback}).
 *
 * <p>Not thread-safe: {@link Tracebacks} holds its lock around every call.
 */
final class TracebackStarts {

  /** How many lines of a JVM exception's message after its first are held for the frames to come. */
  private static final int MAX_MESSAGE_LINES = 20;

  private final Tracebacks.Sink sink;
  private final int maxChars;
  private final HeldRecord held;
  private Prelude prelude;                // what may come before a report of a runtime's, so far
  private HeldException heldException;    // a line that may start a stack trace, and its message's lines
  private OpenTraceback traceback;        // the traceback being read, if any
  /** The line being taken came in one burst with the line before it ({@link Tracebacks#MESSAGE_BURST_NANOS}). */
  private boolean lineInBurst = true;

  TracebackStarts(Tracebacks.Sink sink, int maxChars, HeldRecord held) {
    this.sink = sink;
    this.maxChars = maxChars;
    this.held = held;
  }

  /** Whether the line being taken came in one burst with the line before it. */
  void lineInBurst(boolean inBurst) {
    lineInBurst = inBurst;
  }

  /** Whether a traceback is being read, or lines that may begin one are held. */
  boolean holds() {
    return traceback != null || prelude != null || heldException != null;
  }

  /** Whether a traceback is being read. */
  boolean readingTraceback() {
    return traceback != null;
  }

  /**
   * Whether what is held waits longer for its next line: a traceback whose lines may come far
   * apart ({@link OpenTraceback#printsSlowly}), one Python's header line says is coming ({@code
   * Process Process-1:} is written before the child process's traceback, whose frames Python
   * prints as it reads their source), or the stack ggml's abort prints with gdb, which takes a
   * second to attach.
   */
  boolean waitsLonger() {
    return traceback != null && traceback.printsSlowly()
        || heldException != null && PythonTracebackLines.isPythonTracebackHeader(heldException.text())
        || prelude != null && GgmlLines.isAbortLine(prelude.firstText());
  }

  /** Holds an exception's line, with the ERROR line held before it, which it may belong to. */
  void holdException(Tracebacks.Line line, String text) {
    heldException = new HeldException(line, text);
  }

  /**
   * Holds a line that may come before a runtime's report: Node.js's place of an uncaught error,
   * the {@code #} of the JVM's crash, {@code socketserver}'s rule, HotSpot's time above a thread
   * dump, ggml's abort.
   */
  void holdPrelude(Tracebacks.Line line, String text) {
    prelude = new Prelude(line, text);
  }

  /**
   * Whether the line begins something of its own, and so is no further line of the held record's
   * message: a traceback, a stack trace's exception line or frame, a warning, a runtime's report.
   */
  boolean beginsItsOwn(String text) {
    return text.equals(PythonTracebackLines.PYTHON_START) || text.equals(PythonTracebackLines.PYTHON_GROUP_START)
        || TracebackLines.isExceptionLine(text) || PythonTracebackLines.isPythonTracebackHeader(text)
        || TracebackLines.isFrame(text) || PythonTracebackLines.isPythonWarning(text)
        || NodeErrorLines.isNodeLocation(text) || JdkLines.isJulSource(text)
        || PythonTracebackLines.isRichTracebackStart(text) || PythonTracebackLines.isPythonStackDump(text)
        || PythonTracebackLines.isPythonFatal(text) || PythonTracebackLines.isSyntaxErrorLocation(text)
        || NodeErrorLines.isNodeFatal(text) || text.equals(JdkLines.JVM_CRASH_MARGIN)
        || JdkLines.isJvmThreadDump(text) || beginsGoStackOfHeld(text)
        || GgmlLines.isBackendError(text) || GgmlLines.isGgmlAbort(text);
  }

  /**
   * Takes the line into the traceback being read, or into what is held before one, if it belongs
   * there, and records what it shows to be complete; {@code false} when the line is still to be
   * taken.
   *
   * @param read how many reads of the stream have begun, the line's among them
   */
  boolean continues(Tracebacks.Line line, String text, boolean sameBurst, long read) {
    if (traceback != null) {
      // A line of a logger's (its level named, or a time in brackets the parser took off) is no
      // more of an exception's message.
      if (traceback.take(text, sameBurst, read, line.ownLevel() || !line.message().equals(text))) {
        return true;
      }
      recordTraceback();   // what follows is a line of its own
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
        traceback.take(text, sameBurst, read, line.ownLevel());
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
    Tracebacks.Line line = held.line();
    return line != null && (held.forThisRead() || line.level().isAtLeast(Level.ERROR))
        && line.metadata().get("caller") instanceof String caller && caller.contains(".go:")
        && PanicLines.isGoFunction(text);
  }

  /** Starts reading a traceback if the line begins one; {@code false} when it does not. */
  boolean starts(Tracebacks.Line line, String text) {
    Tracebacks.Line heldLine = held.line();
    if (beginsGoStackOfHeld(text)) {
      startTraceback(OpenTraceback.Shape.GO_STACK, line, heldLine.message(), heldLine.level());
    } else if (text.equals(PythonTracebackLines.PYTHON_START)) {
      startTraceback(OpenTraceback.Shape.PYTHON, line, PythonTracebackLines.PYTHON_START, Level.ERROR);
    } else if (line.message().equals(PythonTracebackLines.PYTHON_START)) {
      // A logger's record whose message is a traceback: log.error(traceback.format_exc()). Read as
      // one, at the record's level, without the logger's prefix; before, its frames were the
      // record's message and its exception line a warning of its own. Where the prefix names no
      // level ("[%(asctime)s] %(message)s"), an ERROR, as a traceback of its own is.
      startTraceback(OpenTraceback.Shape.PYTHON, line, PythonTracebackLines.PYTHON_START,
          line.ownLevel() ? line.level() : Level.ERROR);
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
      held.hold(new Tracebacks.Line(line.at(), line.ownLevel() ? line.level() : Level.ERROR,
          message.substring(0, message.length() - PythonTracebackLines.PYTHON_START.length()).stripTrailing(),
          line.task(), line.metadata(), line.arrivedNanos(), true));
      startTraceback(OpenTraceback.Shape.PYTHON, line, PythonTracebackLines.PYTHON_START, held.line().level(), true);
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
      return startsStackAtFrame(line, text);
    } else {
      return false;
    }
    traceback.add(text);
    return true;
  }

  /** Starts a stack trace at its first frame: its exception's line is held, or said before it, or is none. */
  private boolean startsStackAtFrame(Tracebacks.Line line, String text) {
    if (heldException != null) {
      startTracebackAtHeldLine(OpenTraceback.Shape.STACK, text);   // the exception's line, its message, the frame
      return true;
    }
    Tracebacks.Line heldLine = held.line();
    // a line of the stream's, in this burst
    Tracebacks.Line said = heldLine == null || heldLine.ownLevel() || !lineInBurst ? null : heldLine;
    String embedded = said == null ? null : NodeErrorLines.embeddedError(said.message());
    int appended = heldLine != null && heldLine.ownLevel() && lineInBurst && text.startsWith("\tat ")
        && heldLine.level().isAtLeast(Level.WARNING) ? TracebackLines.appendedJvmException(heldLine.message()) : -1;
    if (embedded != null) {
      // console.error("render failed:", err): the line is the error's record, its message the
      // line, its exception the error from its line on. Before, the line was a warning, and the
      // frames one of their own, named by the first.
      held.release();
      startTraceback(OpenTraceback.Shape.STACK, said, said.message(), Level.ERROR);
      traceback.add(embedded);
    } else if (appended >= 0) {
      // JBoss LogManager's "%s%e" (Quarkus, WildFly): the exception's line after the logger's
      // message, its frames below. The message is the logger's, the exception from its class
      // on; before, the exception began at its first frame, and named its kind so.
      String exceptionLine = heldLine.message().substring(appended + 2);
      held.replace(heldLine.withMessage(heldLine.message().substring(0, appended), heldLine.metadata()));
      startTraceback(OpenTraceback.Shape.STACK, line, exceptionLine, line.level());
      traceback.add(exceptionLine);
    } else if (said != null && said.message().startsWith(NodeErrorLines.NODE_TRACE)) {
      // console.trace("slow frame 3"): where it was called, at the line's level (no error).
      held.release();
      startTraceback(OpenTraceback.Shape.STACK, said, said.message(), said.level());
      traceback.add(said.message());
    } else {
      startTraceback(OpenTraceback.Shape.STACK, line, text.strip(), line.level());
    }
    traceback.add(text);
    return true;
  }

  /** Starts reading a stack trace at its first frame, at {@code level}, the held line its owner where it may be. */
  void startStack(Tracebacks.Line line, String text, Level level) {
    startTraceback(OpenTraceback.Shape.STACK, line, text.strip(), level);
    traceback.add(text);
  }

  /**
   * Starts reading a traceback, which belongs to the held line where one may own it: an ERROR
   * line, a logger's WARNING, or any line a Go logger's stack follows. Another held line is
   * recorded first, as a record of its own.
   */
  private void startTraceback(OpenTraceback.Shape shape, Tracebacks.Line start, String message, Level level) {
    startTraceback(shape, start, message, level, false);
  }

  /** @param heldOwnsIt the held line is the traceback's owner, whatever its level and whenever it came */
  private void startTraceback(OpenTraceback.Shape shape, Tracebacks.Line start, String message, Level level,
      boolean heldOwnsIt) {
    Tracebacks.Line owner = held.line();
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
    held.release();
  }

  /** Records the traceback being read, if any: the stream ended, or was quiet long enough. */
  void endTraceback() {
    if (traceback != null) {
      recordTraceback();
    }
  }

  private void recordTraceback() {
    traceback.record(sink);
    traceback = null;
  }

  /** Records the held line, then what is held here, in the order they came. */
  void release() {
    recordHeld();
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

  /** Records the held line, laid out as its logger laid it out, and lets go of it. */
  void recordHeld() {
    Tracebacks.Line line = held.release();
    if (line != null) {
      Tracebacks.Line record = MonologLines.laidOut(DotNetConsoleLines.laidOut(line));
      sink.record(record.at(), record.level(), record.message(), record.task(), record.metadata());
    }
  }
}
