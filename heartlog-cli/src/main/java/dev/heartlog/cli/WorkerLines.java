package dev.heartlog.cli;

import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.Level;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * A wrapped worker's stdout and stderr, turned into records: each stream is passed on byte for
 * byte and read on a thread of its own, its lines parsed ({@link WorkerStream}); here each line
 * is given its task, the one its stream or the other last began, and once joined into
 * tracebacks ({@link Tracebacks}) it goes to the agent. It also keeps what the record of the
 * worker's exit needs: the last traceback and the last lines on stderr.
 */
final class WorkerLines implements AutoCloseable {

  /**
   * How soon after the one before a repeat of a record is counted, not recorded (RepeatedLines):
   * a line a worker prints faster than once a second, the same each time, is a flood.
   */
  static final Duration REPEAT_GAP = Duration.ofSeconds(1);
  /** How many of a flood's records are recorded, the first among them, before the rest are counted. */
  static final int REPEATS_RECORDED = 10;
  /** How long a line naming ERROR waits for a traceback that may follow it (Tracebacks). */
  static final Duration TRACEBACK_QUIET = Duration.ofMillis(200);
  /** How often a progress display that keeps redrawing is recorded (TerminalLines), and a flood's count (RepeatedLines). */
  static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(10);
  /** The longest line kept whole: what the agent stores of a message. */
  static final int MAX_LINE_CHARS = 64 * 1024;
  /** How long before a failed exit a line may have come to say why it failed (OutputTail). */
  static final Duration LAST_WORDS_WINDOW = Duration.ofSeconds(5);
  /**
   * How long before the line that began a task was read a line of the other stream may have
   * been printed after it: the two are read apart, and the kernel wakes their threads in either
   * order (a few milliseconds apart; more on a busy machine).
   */
  static final Duration CLAIM_RACE = Duration.ofMillis(100);
  /**
   * How long stderr's end waits for stdout's, so that the lines the worker printed on stdout
   * before it crashed are read before its crash is recorded.
   */
  static final Duration STDOUT_DRAIN = Duration.ofSeconds(1);

  private static final Map<String, Object> OWN_RECORD = Map.of("logger", RunCommand.OWN_LOGGER);

  private final HeartlogAgent agent;
  /** The kernel's out-of-memory kills in heartlog run's cgroup, for a shell's report of a command killed. */
  private final Optional<OutOfMemoryKills> outOfMemoryKills;
  /** The last traceback or stack trace recorded at ERROR or worse, and its task. */
  private volatile WorkerExit.LastException lastException;
  /** The last command a shell reported a signal ended (KilledCommandLines). */
  private volatile WorkerExit.KilledCommand lastKilledCommand;
  /** The last lines on stderr, for an exit with an error but no traceback. */
  private final OutputTail stderrTail = new OutputTail(10, 8 * 1024, LAST_WORDS_WINDOW.toNanos());
  /** The last lines on stdout, for such an exit of a worker that said nothing on stderr. */
  private final OutputTail stdoutTail = new OutputTail(10, 8 * 1024, LAST_WORDS_WINDOW.toNanos());
  /** The task each line is filed under. */
  private final LineTasks tasks;
  /** Whether a line that could not be read has been reported (once). */
  private final AtomicBoolean saidUnreadable = new AtomicBoolean();
  /** Whether a pattern of the user's running past its budget has been said (once). */
  private final AtomicBoolean saidTooSlow = new AtomicBoolean();
  /** Whether a format of the user's that fits none of the worker's first lines has been said (once). */
  private final AtomicBoolean saidFormatUnused = new AtomicBoolean();

  /** How many of the worker's lines a format of the user's must have matched none of to be said unused. */
  static final int LINES_BEFORE_FORMAT_UNUSED = 100;
  /** The worker's two streams, each read on a thread of its own. */
  private final WorkerStream stdout;
  private final WorkerStream stderr;
  /** The crash reports Blender names as it crashes, each read into its line's record once written. */
  private final CrashReports crashReports;
  /** Records a held line once nothing followed it for {@link #TRACEBACK_QUIET}. */
  private final ScheduledExecutorService quiet;
  /**
   * The stderr thread while it records what it held when the stream ended: the worker's crash,
   * which {@link #crashTask} files.
   */
  private volatile Thread endingStderr;
  /** Whether stderr has ended: what it held then waits for stdout's end, not for quiet. */
  private volatile boolean stderrEnded;
  /**
   * An uncaught exception's traceback that may be the crash of a task begun after it was read
   * ({@link #holdsAsCrash}).
   */
  private final Object heldCrashLock = new Object();
  private HeldCrash heldCrash;   // guarded by heldCrashLock

  /**
   * @param stopRequested whether heartlog run was asked to stop and passed it on: a Python
   *     worker's {@code KeyboardInterrupt} is then that stop, not an error
   * @param keepRepeats record every repeat of a record, not a count of a flood's
   * @param secrets the credentials masked in the records ({@link WorkerSecrets#NONE} for none)
   * @param outOfMemoryKills the count of the kernel's out-of-memory kills, which says whether a
   *     command a shell reports {@code Killed} ran out of memory; empty where there is none
   */
  WorkerLines(HeartlogAgent agent, ChildLineParser parser, BooleanSupplier stopRequested, boolean keepRepeats,
      WorkerSecrets secrets, Optional<OutOfMemoryKills> outOfMemoryKills) {
    this.agent = agent;
    this.tasks = new LineTasks(agent, this::releaseHeldLines);
    this.outOfMemoryKills = outOfMemoryKills;
    Tracebacks.Sink records = (at, recorded, message, task, metadata) -> {
      // A Ctrl-C passed on to a Python worker ends it with a KeyboardInterrupt traceback: an
      // ERROR, where heartlog run calls the stop itself no failure; before, the worker's last task
      // was listed as failed for it.
      Level level = recorded.isAtLeast(Level.ERROR) && stopRequested.getAsBoolean() && isKeyboardInterrupt(message)
          ? Level.INFO : recorded;
      // A line read in no task is filed under the task current now (a crash's traceback read on
      // stderr just before its task's start on stdout is that task's): the exit's record looks
      // for its exception and last words by the task the record is filed under.
      String filed = task != null ? task : agent.currentTask();
      if (isUncaught(message, metadata)) {
        if (Thread.currentThread() == endingStderr) {
          filed = crashTask(filed);
        } else if (holdsAsCrash(new HeldCrash(at, level, message, filed, metadata))) {
          return;
        }
      }
      record(at, level, message, filed, metadata);
    };
    crashReports = new CrashReports(records);
    long repeatGap = keepRepeats ? -1 : REPEAT_GAP.toNanos();
    stdout = new WorkerStream(this, "stdout", parser, secrets, tasks, crashReports, records, repeatGap);
    stderr = new WorkerStream(this, "stderr", parser, secrets, tasks, crashReports, records, repeatGap);
    quiet = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "heartlog-run-quiet");
      thread.setDaemon(true);
      return thread;
    });
    quiet.scheduleWithFixedDelay(() -> {
      stdout.tracebacks().tick(System.nanoTime());
      if (!stderrEnded) {
        stderr.tracebacks().tick(System.nanoTime());
      }
      stdout.repeats().tick(System.nanoTime());
      stderr.repeats().tick(System.nanoTime());
      crashReports.tick(System.nanoTime());
    }, 50, 50, TimeUnit.MILLISECONDS);
  }

  /**
   * Makes the readers of both streams, each passing its stream on to its echo, before the worker
   * starts ({@link WorkerStream#prepare}).
   *
   * @param stderrDefault the level of a stderr line that names none
   */
  void prepare(OutputStream stdoutEcho, OutputStream stderrEcho, Level stderrDefault) {
    stdout.prepare(stdoutEcho, Level.INFO);
    stderr.prepare(stderrEcho, stderrDefault);
  }

  /** Starts reading the worker's streams, once it has started ({@link #prepare} first). */
  void start(InputStream stdoutStream, InputStream stderrStream) {
    stdout.readFrom(stdoutStream, stderr);
    stderr.readFrom(stderrStream, stdout);
    stdout.start();
    stderr.start();
  }

  /** Python's exception line for a SIGINT: {@code KeyboardInterrupt}, with a message where one was given. */
  private static boolean isKeyboardInterrupt(String message) {
    return message.equals("KeyboardInterrupt") || message.startsWith("KeyboardInterrupt: ");
  }

  /** Waits until both streams have ended, or until {@code deadlineNanos} of {@link System#nanoTime()}. */
  void awaitEnd(long deadlineNanos) throws InterruptedException {
    stdout.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
    stderr.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
  }

  /** Waits until both streams have ended. */
  void awaitEnd() throws InterruptedException {
    stdout.join();
    stderr.join();
  }

  /** The last traceback recorded at ERROR or worse, and its task; null before any. */
  WorkerExit.LastException lastException() {
    return lastException;
  }

  /**
   * The last command a shell reported a signal ended, where that was just before now ({@link
   * #LAST_WORDS_WINDOW}): a shell exits with such a command's code (137 for SIGKILL), which reads
   * as the shell killed by the signal itself. Null where there was none.
   */
  WorkerExit.KilledCommand lastKilledCommand() {
    WorkerExit.KilledCommand last = lastKilledCommand;
    return last != null && System.nanoTime() - last.atNanos() <= LAST_WORDS_WINDOW.toNanos() ? last : null;
  }

  /**
   * The stderr lines of {@code task} from just before now, for a failed exit; where there are
   * none, the stderr lines recorded as {@code task} began, under the task before it or none
   * ({@link #readAsItBegan}); where there are none either, its stdout lines (Blender says why it
   * quit there); null where none has any.
   */
  String lastWords(String task) {
    long now = System.nanoTime();
    String onStderr = stderrTail.before(task, now);
    if (onStderr == null && task != null) {
      onStderr = readAsItBegan(task, now);
    }
    return onStderr != null ? onStderr : stdoutTail.before(task, now);
  }

  /**
   * The stderr lines filed under another task, or none, that were recorded within {@link
   * #CLAIM_RACE} before the line that began {@code task} (the current one) was read, or after: a
   * worker that claims a task on stdout and dies at once says why on stderr, which may be read
   * and recorded before the claim, and so under the task before it (glibc's {@code free(): double
   * free detected in tcache 2} as it aborts; PyTorch's {@code terminate called after throwing an
   * instance of 'c10::Error'} was such lines, before heartlog read it as a crash). The exit's
   * record said {@code Claimed task}, its last line on stdout, in 7 of 10 runs of such a worker.
   * Null where there are none.
   */
  private String readAsItBegan(String task, long now) {
    OptionalLong began = tasks.begun(task);
    return began.isPresent() ? stderrTail.since(began.getAsLong() - CLAIM_RACE.toNanos(), now) : null;
  }

  @Override
  public void close() {
    recordHeldCrash(false);   // as read, where workerExited was not called
    quiet.shutdownNow();
  }

  /**
   * The worker's {@code stream} has ended, read last at {@code lastRead}: what its tracebacks
   * held is recorded, stderr's as {@link #endHeldCrash} says.
   */
  void streamEnded(String stream, ProcessTracebacks tracebacks, long lastRead) {
    if (stream.equals("stderr")) {
      endHeldCrash(tracebacks, lastRead);
    } else {
      tracebacks.end();
    }
  }

  /** Says, in a record of heartlog run's own, that reading the worker's {@code stream} failed. */
  void stoppedReading(String stream, IOException e) {
    agent.log(Level.WARNING, "heartlog run stopped reading the process's " + stream + ": " + e.getMessage(), null, OWN_RECORD);
  }

  /**
   * A shell's report that {@code signal} ended a command ({@link KilledCommandLines}): kept for
   * the exit's record ({@link #lastKilledCommand}), and, for SIGKILL, read as the kernel's
   * out-of-memory kill where the kernel made one.
   */
  ChildLineParser.Parsed commandKilled(ChildLineParser.Parsed line, String signal) {
    lastKilledCommand = new WorkerExit.KilledCommand(signal, line.message(), System.nanoTime());
    Optional<String> outOfMemory = signal.equals("SIGKILL")
        ? outOfMemoryKills.flatMap(OutOfMemoryKills::sinceLastAsked) : Optional.empty();
    return outOfMemory.isPresent() ? KilledCommandLines.byOutOfMemoryKiller(line, outOfMemory.get()) : line;
  }

  /**
   * Records what stderr held when it ended, read last at {@code lastRead}. An uncaught
   * exception's traceback still held then, read less than {@link #TRACEBACK_QUIET} before, is
   * the worker's crash, printed as it exited (nothing came after it): recorded once stdout has
   * ended too ({@link #STDOUT_DRAIN} at most, however long that is quiet), so that the lines the
   * worker printed there before it crashed have been read, and filed by {@link #crashTask}.
   */
  private void endHeldCrash(ProcessTracebacks tracebacks, long lastRead) {
    if (System.nanoTime() - lastRead > TRACEBACK_QUIET.toNanos()) {
      // Read well before the end, and held since: parsed late (its echo held up by a slow
      // terminal), not printed as the worker exited.
      tracebacks.end();
      return;
    }
    stderrEnded = true;
    try {
      stdout.join(STDOUT_DRAIN.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    endingStderr = Thread.currentThread();
    try {
      tracebacks.end();
    } finally {
      endingStderr = null;
    }
  }

  /**
   * The task of the worker's crash, filed under {@code readIn} as it was parsed: the task current
   * now, once stdout has been read to its end, where one is. A worker prints nothing after its
   * crash (but what it prints as it exits), so a line on stdout that began a task after the
   * crash was parsed was printed before it; it was read, or parsed, after it, as the two streams
   * are read apart (a worker that claimed a task and crashed at once: half of ten runs filed the
   * crash under the task before, which then read as failed).
   */
  private String crashTask(String readIn) {
    String current = agent.currentTask();
    return current != null ? current : readIn;
  }

  /** Records a line under {@code filed}, and keeps what the exit's record may need of it. */
  private void record(Instant at, Level level, String message, String filed, Map<String, Object> metadata) {
    if (level.isAtLeast(Level.ERROR) && metadata.get("exception") instanceof String exception) {
      lastException = new WorkerExit.LastException(filed, exception, System.nanoTime());
    } else if (metadata.get("stream") instanceof String stream && !"progress".equals(metadata.get("kind"))) {
      (stream.equals("stderr") ? stderrTail : stdoutTail).add(filed, message, lastWordsLevel(level, message),
          System.nanoTime());
    }
    agent.log(at, level, message, filed, metadata);
  }

  /**
   * The level a line counts at among the last lines that say why the worker exited ({@link
   * OutputTail}): a warning Python's {@code warnings} or Node.js printed ({@code worker.py:2:
   * UserWarning: TypedStorage is deprecated}, a library's, as it was imported) is of something the
   * worker went on past, so it counts as INFO, below a line of no level after it on stderr ({@code
   * sys.exit("model file is truncated")}), which then names the failure. Before, the warning named
   * it, in the task list and in {@code heartlog errors}.
   */
  private static Level lastWordsLevel(Level level, String message) {
    boolean wentOnPast = level == Level.WARNING && !message.isEmpty()
        && (PythonTracebackLines.isPythonWarning(message) || NodeErrorLines.isNodeWarning(message));
    return wentOnPast ? Level.INFO : level;
  }

  /**
   * Holds an uncaught exception's traceback, recorded while the worker runs on, where another task
   * began after it was read: a worker that claims a task and crashes at once, and takes longer
   * than {@link #TRACEBACK_QUIET} to exit (a CUDA worker's teardown), or one that printed a
   * traceback it caught ({@code traceback.print_exc()}) as it ended a task, just before the next
   * began. The first fails within {@link #LAST_WORDS_WINDOW}, and its crash is filed under the
   * task current then ({@link #workerExited}); the other's traceback is recorded as it came, once
   * that window has passed or the worker has exited 0. Before, the crash of a worker that took
   * 0.6 s to exit was filed under the task before in 4 of 10 runs. {@code false} where it is no
   * such traceback, to be recorded now.
   */
  private boolean holdsAsCrash(HeldCrash crash) {
    String current = agent.currentTask();
    if (current == null || current.equals(crash.readIn()) || !"stderr".equals(crash.metadata().get("stream"))) {
      return false;   // on stdout, the line that began the task came after it (2>&1)
    }
    HeldCrash before;
    synchronized (heldCrashLock) {
      before = heldCrash;
      heldCrash = crash;
    }
    if (before != null) {
      before.recordIn(this, before.readIn());   // a worker crashes once: the earlier one was none
    }
    try {
      quiet.schedule(() -> {
        if (takeHeldCrash(crash)) {
          crash.recordIn(this, crash.readIn());
        }
      }, LAST_WORDS_WINDOW.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      return !takeHeldCrash(crash);   // the reading has ended: recorded now
    }
    return true;
  }

  /** Takes {@code crash} from {@link #heldCrash}; {@code false} where it is held no longer. */
  private boolean takeHeldCrash(HeldCrash crash) {
    synchronized (heldCrashLock) {
      if (heldCrash != crash) {
        return false;
      }
      heldCrash = null;
      return true;
    }
  }

  /**
   * The worker has exited with {@code exitCode}, and its streams have been read to their end:
   * records the crash held ({@link #holdsAsCrash}), if any, under the task current now where it
   * failed (its crash), else under the task it was read in (it lived on after it).
   */
  void workerExited(int exitCode) {
    recordHeldCrash(exitCode != 0);
  }

  private void recordHeldCrash(boolean crashed) {
    HeldCrash crash;
    synchronized (heldCrashLock) {
      crash = heldCrash;
      heldCrash = null;
    }
    if (crash != null) {
      crash.recordIn(this, crashed ? crashTask(crash.readIn()) : crash.readIn());
    }
  }

  /** A record {@link #holdsAsCrash} holds, and the task it was read in. */
  private record HeldCrash(Instant at, Level level, String message, String readIn, Map<String, Object> metadata) {
    void recordIn(WorkerLines lines, String task) {
      lines.record(at, level, message, task, metadata);
    }
  }

  /**
   * Whether a record is an uncaught exception's traceback, as a runtime prints it as the worker
   * dies, and names no process of a pool (whose lines keep their process's task): Python's, whose
   * message is the exception's line that ends it, or one a runtime marks so ({@link
   * TracebackLines#isUncaughtCrash}: the JVM's, Go's, Rust's, Ruby's, Node.js's, a C++ abort's). A logged
   * error's traceback has the logger's message, and its task may be named on its line.
   */
  private static boolean isUncaught(String message, Map<String, Object> metadata) {
    return metadata.get("exception") instanceof String exception && !metadata.containsKey("process")
        && (exception.stripTrailing().endsWith(message) || TracebackLines.isUncaughtCrash(exception));
  }

  /**
   * Says, once, in a record of heartlog run's own and on stderr, that a pattern of the user's ran
   * past its budget on a line, which was stored as printed ({@link UserPattern}).
   */
  void tooSlow(String stream, UserPattern.TooSlow e) {
    if (saidTooSlow.compareAndSet(false, true)) {
      String said = "heartlog run: " + e.getMessage() + " of the worker's " + stream + ", and stored that line as printed "
          + "(said once). A pattern whose parts can match the same text in many ways, such as (.*,){12}, takes time "
          + "exponential in a line it does not match; write each part so that it can match a character one way only, "
          + "([^,]*,){12}";
      System.err.println("heartlog: " + said.substring("heartlog run: ".length()));
      agent.log(Level.WARNING, said, null, OWN_RECORD);
    }
  }

  /**
   * Says, once, in a record of heartlog run's own and on stderr, that the format the user gave
   * ({@code --python-format}, {@code --line-format}) has matched none of the worker's first
   * {@link #LINES_BEFORE_FORMAT_UNUSED} lines: each was read as without it, and a format that
   * does not fit would otherwise go unnoticed.
   */
  void formatUnused(String option) {
    if (saidFormatUnused.compareAndSet(false, true)) {
      String said = "heartlog run: none of the worker's first " + LINES_BEFORE_FORMAT_UNUSED + " lines was in the format "
          + option + " gives, and each was read as without it (said once); compare the format with a line"
          + " the worker prints";
      System.err.println("heartlog: " + said.substring("heartlog run: ".length()));
      agent.log(Level.WARNING, said, null, OWN_RECORD);
    }
  }

  /**
   * Says, once, in a record of heartlog run's own, that a line could not be read as its format
   * says and was stored as printed: a mistake of heartlog's to report, which costs that line its
   * level and fields and nothing more.
   */
  void unreadable(String stream, String line, Throwable e) {
    if (saidUnreadable.compareAndSet(false, true)) {
      agent.log(Level.WARNING, "heartlog run could not read a line of the worker's " + stream + " and stored it as printed ("
          + e + "); please report it, with the line: " + line.substring(0, Math.min(line.length(), 200)), null, OWN_RECORD);
    }
  }

  private void releaseHeldLines() {
    stdout.tracebacks().releaseHeld();
    stderr.tracebacks().releaseHeld();
  }
}
