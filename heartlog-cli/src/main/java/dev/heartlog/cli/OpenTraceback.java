package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * A traceback {@link Tracebacks} is reading, line by line, until a line that is not part of it:
 * its lines so far, and the record they make.
 */
final class OpenTraceback {

  /** Whose traceback it is. */
  enum Shape {
    /** From {@code Traceback (most recent call last):} to the exception line; chains too. */
    PYTHON,
    /** A Python exception group's: every line indented and marked with | or +. */
    PYTHON_GROUP,
    /** A JVM or Node.js exception line and its frames. */
    STACK,
    /** A Go program's panic and its goroutines. */
    GO,
    /** The stack zap prints below a record: each function, its place below it, indented. */
    GO_STACK,
    /** A Rust program's panic, its message and its backtrace. */
    RUST,
    /**
     * The error a Rust program's {@code main} returned, as anyhow prints it: {@code Error: ...}, a
     * blank line, {@code Caused by:} over its causes, indented, and {@code Stack backtrace:} over
     * the frames where it was made.
     */
    RUST_REPORT,
    /** Python's {@code faulthandler} dump: the fatal error, and each thread's stack. */
    PYTHON_DUMP,
    /** HotSpot's report of the JVM's crash, every line after a {@code #}. */
    JVM_CRASH,
    /**
     * HotSpot's dump of its threads' stacks (kill -3, jstack): every thread's stack, the
     * deadlocks found, the heap's summary; kept as {@link ThreadDumps} says.
     */
    JVM_THREADS,
    /** Node.js's report of its fatal error (its heap ran out): the garbage collector's runs, the error, the native stack. */
    NODE_FATAL,
    /** rich's traceback ({@code rich.traceback.install()}): a box of frames, then the exception line. */
    RICH,
    /**
     * The C++ runtime's abort over an uncaught exception: its {@code terminate called ...}, the
     * exception's {@code what()}, and PyTorch's further lines and stack.
     */
    CPP_TERMINATE,
    /**
     * ggml's abort ({@link GgmlLines}): a GPU backend's failed call, {@code ggml_abort}'s place
     * and message, and the stack gdb or glibc prints.
     */
    GGML_ABORT
  }

  /** The line before and after the copy of a traceback that billiard and process pools print. */
  static final String QUOTE = "\"\"\"";
  private static final String BILLIARD_EXCEPTION = "ExceptionWithTraceback()";

  /**
   * The frame loguru's {@code logger.exception} marks as the one that caught the exception, not
   * indented ({@code > File "render.py", line 7, in <module>}); its frames come with blank lines
   * between them and the values of their variables below them ({@code     └ 0}).
   */
  private static final String LOGURU_FRAME = "> File \"";

  private Shape shape;                    // a Python chain's next exception may be a group, or follow one
  private final Tracebacks.Line start;   // its first line
  private final Tracebacks.Line owner;   // the ERROR line it belongs to, or null
  private final Level level;             // its record's level when it has no owner
  private final int maxChars;
  private final List<String> lines = new ArrayList<>();
  private int chars;
  private String message;                // its record's message when it has no owner
  private boolean framesSeen;            // Python: a frame came
  private boolean afterException;        // Python: the exception line came; a chained traceback may follow
  private boolean chainSaid;             // Python: the words that chain the next exception to it came
  private boolean inMessage;             // the lines since the exception line are its message's
  private boolean quoted;                // Python: inside a quoted copy of a traceback (billiard's, a process pool's)
  private boolean backtraceSeen;         // Rust: "stack backtrace:" came
  private boolean billiardCopy;          // Python: billiard's copy came
  private int nesting;                   // Node.js: how deep in the braces of an error's properties
  private long exceptionRead = -1;       // Python, rich: the read the exception line came in
  private boolean boxClosed;             // rich: the bottom of the traceback's box came
  private int crashSaidAt = -1;          // HotSpot: the line that said what the crash was
  private boolean crashFrameSaid;        // HotSpot: the message names the frame it crashed in
  private JvmDump jvmDump = JvmDump.NONE; // HotSpot: where in the whole report it printed, for want of a file
  private int linesLeftOut;              // HotSpot's crash report's lines from its registers to its end; a dump's past the most read
  private boolean leaveOut;              // the line taken is not kept
  private int threads;                   // HotSpot's thread dump: its threads' headers
  private int deadlocks;                 // HotSpot's thread dump: the deadlocks it found
  private String deadlocksFound;         // HotSpot's thread dump: its line that says so
  private String dumpTime;               // HotSpot's thread dump: the time printed above it, the JVM's local time
  private boolean abortSaid;             // ggml: ggml_abort's line came, its stack may follow
  private boolean inGdb;                 // ggml: gdb is printing the stack
  private boolean gdbEnded;              // ggml: gdb said it let the process go

  /**
   * Where HotSpot is in the whole report of its crash, which it prints on stdout after its first
   * part where it could write no file for it (a read-only folder and {@code /tmp}: {@code #
   * Can not save log file, dump to screen..}): the report goes on to {@code END.}, 911 lines of
   * OpenJDK 17's, which were 657 INFO records.
   */
  private enum JvmDump {
    /** No report printed, or none yet. */
    NONE,
    /** Its first part said it prints the report; the report's own lines have not begun. */
    SAID,
    /** In the report, up to its registers' values: kept. */
    KEPT,
    /** From the registers on (or past {@link CrashReports#MAX_BYTES}), to {@code END.}: left out, and counted. */
    LEFT_OUT,
    /** After {@code END.}: the first part's last lines again. */
    ENDED
  }

  /**
   * @param owner the ERROR line printed right before it, whose record it goes into; or null
   * @param message the record's message when there is no owner
   * @param level the record's least level when there is no owner
   */
  OpenTraceback(Shape shape, Tracebacks.Line start, Tracebacks.Line owner, String message, Level level, int maxChars) {
    this.shape = shape;
    this.start = start;
    this.owner = owner;
    this.message = message;
    this.level = level;
    this.maxChars = maxChars;
  }

  /** Adds one of the lines it was found to begin with. */
  void add(String text) {
    lines.add(text);
    chars += text.length() + 1;
    if (shape == Shape.STACK) {
      nesting = Math.max(0, nesting + nestingChange(text));
    }
  }

  /**
   * How a line of a stack trace opens or closes the braces Node.js prints an error's properties
   * in, after its last frame ({@code at ... (node:net:1611:16) {}, {@code errno: -111,}, {@code
   * [cause]: Error: ...} with its own frames and braces, {@code }}); brackets too, for an
   * AggregateError's {@code [errors]: [ ... ]}. An error with no frames opens them on its own
   * line ({@code [Error: ENOENT: ...] {}).
   */
  private int nestingChange(String text) {
    if (nesting == 0) {
      return text.endsWith(" {") && (TracebackLines.isFrame(text) || NodeErrorLines.nodeBracketedError(text) != null) ? 1 : 0;
    }
    String rest = text.strip();
    if (rest.isEmpty()) {
      return 0;
    }
    int change = rest.charAt(0) == '}' || rest.charAt(0) == ']' ? -1 : 0;
    char last = rest.charAt(rest.length() - 1);
    return last == '{' || last == '[' ? change + 1 : change;
  }

  /**
   * It began with an exception line, the first of a chain, that has no frames, since it was
   * never raised; {@code quoted}: the line after it opened a process pool's copy of the worker
   * process's traceback ({@code """}), which goes on to the line that closes it.
   */
  void afterExceptionWithoutFrames(boolean quoted) {
    afterException = true;
    this.quoted = quoted;
    chainSaid = !quoted;   // the words of the chain were among the lines it began with
  }

  /** HotSpot's thread dump: the line of the time printed above it ({@code 2026-12-06 16:02:42}). */
  void dumpTime(String time) {
    dumpTime = time;
  }

  /** Python's syntax error without a traceback: its first line, the location, is its frame. */
  void frameCame() {
    framesSeen = true;
  }

  /** Rust since 1.73: the panic's message comes on the line after its first. */
  void messageFollows() {
    inMessage = true;
  }

  /**
   * Node.js's uncaught error: its message may go on below its first line, up to its first frame
   * ({@code Error: Cannot find module 'sharp'}, {@code Require stack:}, {@code -
   * /app/worker.js}).
   */
  void messageMayGoOn() {
    inMessage = true;
  }

  /**
   * Takes the next line if it is part of the traceback, and it still fits in {@code maxChars};
   * {@code false} (nothing taken) when the line is one of its own. {@code sameBurst}: the line
   * came right after the one before it, as the lines of one traceback do; {@code read}: the
   * number of the read it came in; {@code formatted}: the line is in a format heartlog reads, and
   * names its level (a logger's line, a web server's line of a request), so it is no more of an
   * exception's message.
   */
  boolean take(String text, boolean sameBurst, long read, boolean formatted) {
    if (dumpRuntime() == null && chars + text.length() > maxChars) {
      return false;   // a dump's lines past it are counted instead
    }
    boolean part = switch (shape) {
      case PYTHON -> continuesPython(text, sameBurst, read, formatted);
      case PYTHON_GROUP -> continuesPythonGroup(text);
      case STACK -> continuesStack(text, sameBurst);
      case GO -> continuesGoPanic(text);
      case GO_STACK -> text.startsWith("\t") || PanicLines.isGoFunction(text);
      case RUST -> continuesRustPanic(text, sameBurst);
      case RUST_REPORT -> sameBurst && (text.isBlank() || Character.isWhitespace(text.charAt(0))
          || PanicLines.isRustReportHeading(text));
      case PYTHON_DUMP -> continuesDump(PythonTracebackLines.isPythonStackDumpLine(text), text);
      case JVM_CRASH -> continuesJvmCrash(text);
      case JVM_THREADS -> continuesThreadDump(text);
      case NODE_FATAL -> continuesNodeFatal(text);
      case RICH -> continuesRich(text, sameBurst, read, formatted);
      case CPP_TERMINATE -> continuesCppTerminate(text, sameBurst, read, formatted);
      case GGML_ABORT -> continuesGgmlAbort(text);
    };
    if (part && leaveOut) {
      leaveOut = false;
      linesLeftOut++;
    } else if (part) {
      add(text);
    }
    return part;
  }

  /** Whose dump of every thread's stack it is, which {@link ThreadDumps} keeps; null where it is no such dump. */
  private ThreadDumps.Runtime dumpRuntime() {
    return switch (shape) {
      case JVM_THREADS -> ThreadDumps.Runtime.JVM;
      case GO -> ThreadDumps.Runtime.GO;
      case PYTHON_DUMP -> ThreadDumps.Runtime.PYTHON;
      default -> null;
    };
  }

  /**
   * Whether the line is of a Go program's panic, fatal error or signal's dump (every goroutine's
   * stack): past {@link ThreadDumps#MAX_READ_CHARS}, counted and left out, as every line after
   * it is. Kept to the 64 KiB of another traceback, 500 goroutines' dump on SIGQUIT was 4,089
   * warnings, a line or a call and its place each.
   */
  private boolean continuesGoPanic(String text) {
    return continuesDump(text.isBlank() || PanicLines.isGoPanicLine(text), text);
  }

  /** {@code part}: the line is of the dump; past {@link ThreadDumps#MAX_READ_CHARS}, counted and left out, as every line after it is. */
  private boolean continuesDump(boolean part, String text) {
    if (part) {
      leaveOut = linesLeftOut > 0 || chars + text.length() > ThreadDumps.MAX_READ_CHARS;
    }
    return part;
  }

  /**
   * Whether the line is of HotSpot's thread dump: counts the threads and the deadlocks, and
   * leaves the line out past {@link ThreadDumps#MAX_READ_CHARS}, where it is counted, as every
   * line after it is. Kept to the 64 KiB of another traceback, a dump of 420 threads was cut at
   * 32 KiB by the agent, and its lines past 64 KiB were records of their own.
   */
  private boolean continuesThreadDump(String text) {
    if (!JdkLines.isJvmThreadDumpLine(text)) {
      return false;
    }
    if (ThreadDumps.isThreadHeader(text)) {
      threads++;
    }
    int found = JdkLines.jvmDeadlocksFound(text);
    if (found > 0) {
      deadlocks = found;
      deadlocksFound = text;
    }
    return continuesDump(true, text);
  }

  /**
   * Whether its lines may come far apart: a Rust backtrace is symbolized as it is printed, and on
   * a loaded machine its last line came 300 ms after the one before it. Python reads each frame's
   * line of source from its file as it prints the frame, and a thread's traceback paused 480 ms
   * after its first frame once (threading.py's source, on a busy machine): the rest became
   * warnings of their own. Until its exception line, a Python traceback is not complete. ggml's
   * abort starts gdb to print its stack, which takes its time to attach.
   */
  boolean printsSlowly() {
    return backtraceSeen || shape == Shape.PYTHON && !afterException || shape == Shape.GGML_ABORT && !gdbEnded;
  }

  /** Records it: into its owner's record, or as a record of its own. */
  void record(Tracebacks.Sink sink) {
    while (lines.get(lines.size() - 1).isBlank()) {
      lines.remove(lines.size() - 1);   // blank lines after the last exception line
    }
    Tracebacks.Line line = owner != null ? owner : start;
    RecordMetadata metadata = new RecordMetadata(4);
    metadata.putAll(line.metadata());
    if (shape != Shape.GO || owner != null || lines.size() > 1 || !lines.get(0).equals(message)) {
      // Not a Go panic's or fatal error's first line alone, the message already: a line that only
      // looked like one (the AWS CLI's "fatal error: Unable to locate credentials")
      ThreadDumps.Runtime dump = dumpRuntime();
      String joined = dump != null ? ThreadDumps.kept(dump, lines, linesLeftOut) : String.join("\n", lines);
      if (line.metadata().get("exception") instanceof String own && !own.isBlank() && !joined.contains(own)) {
        joined = own + "\n" + joined;   // the line's own (zap's error, its frames below it), kept above
      }
      if (linesLeftOut > 0 && shape == Shape.JVM_CRASH) {
        joined = joined + "\n… [heartlog run left out the report's " + linesLeftOut
            + " lines from its registers (or its first 8 KiB) to its end]";
      }
      metadata.put("exception", joined);
    }
    Level least = level;
    String said = message;
    if (shape == Shape.JVM_THREADS) {
      metadata.put("threads", threads);
      if (dumpTime != null) {
        metadata.put("dump_time", dumpTime);
      }
      if (deadlocks > 0) {
        // threads that wait on each other for ever: the worker is stuck, an error whoever asked for the dump
        metadata.put("deadlocks", deadlocks);
        least = Level.ERROR;
        said = message + " " + deadlocksFound;
      }
    }
    if (shape == Shape.JVM_CRASH) {
      int saved = lines.indexOf(JdkLines.JVM_CRASH_REPORT_SAVED);
      java.nio.file.Path report =
          saved >= 0 && saved + 1 < lines.size() ? CrashReports.namedByJvm(lines.get(saved + 1)) : null;
      if (report != null) {
        metadata.put("crash_report", report.toString());   // the file with the whole report, which CrashReports waits for
      }
    }
    if (owner != null) {
      sink.record(owner.at(), owner.level(), ownerMessage(), owner.task(), metadata);
    } else {
      sink.record(line.at(), line.level().isAtLeast(least) ? line.level() : least, said, line.task(), metadata);
    }
  }

  /**
   * The owner line's message; where billiard's copy of the traceback came, with the exception it
   * names instead of the {@code ExceptionWithTraceback()} Celery 5.2 logs ("Task render.render[...]
   * raised unexpected: RuntimeError: CUDA out of memory"), so a task's failure says what failed.
   */
  private String ownerMessage() {
    String text = owner.message();
    return billiardCopy && text.endsWith(BILLIARD_EXCEPTION)
        ? text.substring(0, text.length() - BILLIARD_EXCEPTION.length()) + message
        : text;
  }

  private boolean continuesPython(String text, boolean sameBurst, long read, boolean formatted) {
    if (!afterException) {
      if (PythonTracebackLines.isPythonFrame(text) || text.startsWith(LOGURU_FRAME)) {
        framesSeen = true;
        return true;
      }
      if (text.isBlank()) {
        return true;   // loguru's, between its frames
      }
      return framesSeen && exceptionLine(text, read);
    }
    if (betweenChainedExceptions(text)) {
      return true;
    }
    if (text.equals(QUOTE) && (quoted || message.endsWith("ExceptionWithTraceback:"))) {
      // Celery 5.2's pool (billiard) prints the task's own traceback again, between """ lines,
      // after its ExceptionWithTraceback: the same failure, so the same record.
      quoted = !quoted;
      billiardCopy = true;
      inMessage = false;
      return true;
    }
    if (text.equals(PythonTracebackLines.PYTHON_GROUP_START) && chainSaid && !quoted) {
      nextOfChain(Shape.PYTHON_GROUP);   // raise ExceptionGroup(...) from e; a TaskGroup failing in an except block
      return true;
    }
    if (text.equals(PythonTracebackLines.PYTHON_START)) {
      if (!chainSaid && !quoted) {
        // Another traceback with no words chaining it to this one: an exception of its own, as
        // an uncaught crash printed right after a traceback logger.exception printed. Read in
        // one read with it, it was taken for the next exception of a chain, and the two failures
        // were one record.
        return false;
      }
      nextOfChain(Shape.PYTHON);
      return true;
    }
    return continuesMessage(text, sameBurst, read, formatted);
  }

  /** The next exception of a chain begins, traceback or group: the last one printed is the message. */
  private void nextOfChain(Shape next) {
    shape = next;
    afterException = false;
    chainSaid = false;
    framesSeen = false;
    inMessage = false;
  }

  /** The exception line came ("RuntimeError: CUDA out of memory"): the message, unless a chained one follows. */
  private boolean exceptionLine(String text, long read) {
    message = text;
    afterException = true;
    inMessage = true;
    exceptionRead = read;
    return true;
  }

  /** A blank line or Python's words between two exceptions of a chain, after an exception line. */
  private boolean betweenChainedExceptions(String text) {
    if (text.isBlank() || PythonTracebackLines.isPythonChained(text)) {
      chainSaid |= !text.isBlank();
      inMessage = false;
      return true;
    }
    return false;
  }

  /**
   * More of an exception's message, after its exception line: a message of several lines (a
   * pydantic ValidationError's, a note 3.11's add_note added). After logging.exception (an
   * owner), only those of the exception line's read: logging writes a record in one write, and a
   * line the worker prints after it is its own. Never a line in a format heartlog reads.
   */
  private boolean continuesMessage(String text, boolean sameBurst, long read, boolean formatted) {
    return !formatted && inMessage && sameBurst && (owner == null || read == exceptionRead) && TracebackLines.mayContinueMessage(text);
  }

  /**
   * A line of an exception group's traceback: its boxed lines, then the blank lines and words of
   * a chain, and the next exception of that chain. Another group or traceback with no words
   * chaining it to this one is an exception of its own, as after a traceback (an uncaught
   * TaskGroup's failure printed right after the one logger.exception printed was taken in as
   * more of its box).
   */
  private boolean continuesPythonGroup(String text) {
    boolean groupStart = text.equals(PythonTracebackLines.PYTHON_GROUP_START);
    if (groupStart || text.equals(PythonTracebackLines.PYTHON_START)) {
      if (!chainSaid) {
        return false;
      }
      nextOfChain(groupStart ? Shape.PYTHON_GROUP : Shape.PYTHON);
      return true;
    }
    if (betweenChainedExceptions(text)) {
      return true;
    }
    if (!PythonTracebackLines.isPythonGroupLine(text)) {
      return false;
    }
    String exception = afterException ? null : PythonTracebackLines.pythonGroupException(text);
    if (exception != null) {
      message = exception;   // "ExceptionGroup: render failed (2 sub-exceptions)"
      afterException = true;
    }
    return true;
  }

  private boolean continuesStack(String text, boolean sameBurst) {
    if (inMessage) {
      inMessage = !text.isBlank() && !TracebackLines.isFrame(text) && sameBurst;
      if (inMessage) {
        return true;   // more of Node.js's message (messageMayGoOn)
      }
    }
    // Blank lines are kept only if more of the trace follows: Node.js ends an uncaught error's
    // with a blank line and its version. Inside the braces of an error's properties, every line is.
    return nesting > 0 || TracebackLines.isFrame(text) || text.isBlank() || TracebackLines.isStackContinuation(text)
        || TracebackLines.isElixirError(lines.get(0)) && TracebackLines.isElixirReportLine(text);
  }

  /**
   * The lines of rich's traceback after the top of its box: the box's lines ({@code │ ...}) to its
   * bottom ({@code ╰─...─╯}), the exception line, and for a chain, Python's words between two
   * exceptions and the next box.
   */
  private boolean continuesRich(String text, boolean sameBurst, long read, boolean formatted) {
    char first = text.isEmpty() ? ' ' : text.charAt(0);
    if (!boxClosed) {
      boxClosed = first == '╰';
      return first == '│' || first == '╰';
    }
    if (!afterException) {
      return !text.isBlank() && exceptionLine(text, read);   // "ZeroDivisionError: division by zero"
    }
    if (betweenChainedExceptions(text)) {
      return true;
    }
    if (PythonTracebackLines.isRichTracebackStart(text)) {
      boxClosed = false;   // the next exception of the chain
      afterException = false;
      return true;
    }
    return continuesMessage(text, sameBurst, read, formatted);
  }

  /**
   * The lines of a C++ abort after its first: {@code   what():  CUDA error: ...}, which names the
   * record ({@link PanicLines#cppExceptionMessage}); the lines of the message PyTorch goes on
   * with ({@code For debugging consider passing CUDA_LAUNCH_BLOCKING=1}); blank lines; and its
   * stack ({@code Exception raised from ...}, {@code frame #0: ...}). Before, each was a warning of
   * its own, filed under the task before where the worker aborted as it claimed a task.
   */
  private boolean continuesCppTerminate(String text, boolean sameBurst, long read, boolean formatted) {
    if (lines.size() == 1 && text.startsWith(PanicLines.CPP_WHAT)) {
      message = PanicLines.cppExceptionMessage(lines.get(0), text.substring(PanicLines.CPP_WHAT.length()).strip());
      inMessage = true;
      exceptionRead = read;
      return true;
    }
    if (text.isBlank() || PanicLines.isCppStackLine(text)) {
      inMessage = false;   // the message has ended
      return true;
    }
    return continuesMessage(text, sameBurst, read, formatted);
  }

  private boolean continuesNodeFatal(String text) {
    if (!NodeErrorLines.isNodeFatalLine(text)) {
      return false;
    }
    if (text.startsWith(NodeErrorLines.NODE_FATAL)) {
      message = text;   // what the report is of, where it began with the garbage collector's runs
    }
    return true;
  }

  private boolean continuesJvmCrash(String text) {
    if ((jvmDump == JvmDump.SAID || jvmDump == JvmDump.KEPT) && !JdkLines.isJvmCrashLine(text)) {
      if (text.equals(JdkLines.JVM_DUMP_END)) {
        jvmDump = JvmDump.ENDED;
        return true;
      }
      // kept as much as of a report written to a file (CrashReports), an error's with no registers too
      boolean enough = text.equals(JdkLines.JVM_DUMP_REGISTERS) || chars + text.length() > CrashReports.MAX_BYTES;
      jvmDump = enough ? JvmDump.LEFT_OUT : JvmDump.KEPT;
    }
    if (jvmDump == JvmDump.LEFT_OUT) {
      if (text.equals(JdkLines.JVM_DUMP_END)) {
        jvmDump = JvmDump.ENDED;
      }
      leaveOut = true;
      return true;
    }
    if (jvmDump == JvmDump.KEPT) {
      return true;
    }
    if (!JdkLines.isJvmCrashLine(text)) {
      return false;
    }
    if (text.equals(JdkLines.JVM_DUMPED_TO_SCREEN) && jvmDump == JvmDump.NONE) {
      jvmDump = JvmDump.SAID;
    }
    boolean blank = text.substring(1).isBlank();
    if (!inMessage && !blank) {
      // "#  SIGSEGV (0xb) at pc=0x00007f..., pid=4242, tid=4243": what the crash was, in the message
      message = message + " " + JdkLines.jvmCrashWhat(text);
      inMessage = true;
      crashSaidAt = lines.size();
    } else if (crashSaidAt == lines.size() - 1 && !blank && lines.get(1).equals(JdkLines.JVM_FATAL_ERROR)) {
      // "#  fatal error: OutOfMemory encountered: Java heap space" below "#  Internal Error (debug.cpp:362), ..."
      message = message + ": " + text.substring(1).strip();
    } else if (!crashFrameSaid && lines.get(lines.size() - 1).equals(JdkLines.JVM_CRASH_FRAME)) {
      crashFrameSaid = true;   // once: a report printed whole says it again
      // "# C  [libcuda.so.1+0x2c4f1a]  cuLaunchKernel+0x1a": where, so that a crash in a GPU's
      // driver and one in the JVM are two kinds, as the store names them (R__exception_name.sql)
      message = message + " in " + JdkLines.jvmCrashFrame(text);
    }
    return true;
  }

  private boolean continuesRustPanic(String text, boolean sameBurst) {
    if (inMessage && lines.size() == 1 && !text.isBlank()) {
      message = message + " " + text;   // the record's message: the place and the panic's message
      return true;
    }
    if (PanicLines.isRustBacktraceLine(text)) {
      inMessage = false;
      backtraceSeen |= text.equals("stack backtrace:");
      return true;
    }
    return inMessage && sameBurst && TracebackLines.mayContinueMessage(text);   // a message of several lines
  }

  /**
   * Whether the line is of ggml's abort: after a GPU backend's failed call ({@code CUDA error:
   * ...}), its place and the call, then {@code ggml_abort}'s line; after that line, the stack,
   * glibc's frames or gdb's lines up to its last ({@code [Inferior 1 (process N) detached]}),
   * whatever gdb prints between (its frames, the source lines it could not read).
   */
  private boolean continuesGgmlAbort(String text) {
    if (inGdb) {
      gdbEnded = GgmlLines.isGdbEnd(text);
      inGdb = !gdbEnded;
      return true;
    }
    abortSaid |= lines.size() == 1 && GgmlLines.isAbortLine(lines.get(0));
    if (!abortSaid) {
      if (lines.size() == 1 && GgmlLines.isBackendPlace(text)
          || lines.size() == 2 && GgmlLines.isBackendPlace(lines.get(1)) && text.startsWith("  ") && !text.isBlank()) {
        return true;   // where it failed, and the call
      }
      abortSaid = GgmlLines.isAbortLine(text);
      return abortSaid;
    }
    if (gdbEnded) {
      return false;
    }
    inGdb = GgmlLines.isGdbStart(text);
    return inGdb || GgmlLines.isGlibcFrame(text);
  }
}
