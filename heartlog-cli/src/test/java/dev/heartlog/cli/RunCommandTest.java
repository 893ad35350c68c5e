package dev.heartlog.cli;

import static dev.heartlog.cli.WrappedWorkers.exitRecord;
import static dev.heartlog.cli.WrappedWorkers.stderrRecords;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import dev.heartlog.agent.Level;
import dev.heartlog.store.LogFilter;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import dev.heartlog.store.TestJvm;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

@Timeout(60)
class RunCommandTest {

  @TempDir Path folder;

  /** A shell script of these lines in the test's folder. */
  private Path script(String name, String... lines) throws IOException {
    Path script = folder.resolve(name);
    Files.writeString(script, "#!/bin/sh\n" + String.join("\n", lines) + "\n");
    return script;
  }

  @Test
  void aWrappedWorkersLinesBecomeRecordsWithLevelsAndTasksAndItsCrashIsReported() throws IOException {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path script = script("worker.sh",
        "echo '[10:00:00] INFO WORKER Worker started, polling for tasks'",
        "echo '[10:00:01] INFO WORKER [Task task-a] Claimed task, starting generation'",
        "echo '[10:00:02] WARNING GENERATOR [Task task-a] Low VRAM headroom'",
        "echo 'plain line inside task a'",
        "echo '[10:00:03] ✅ WORKER [Task task-a] Task completed'",
        "echo 'plain line between tasks'",
        "echo '[10:00:04] INFO WORKER [Task task-b] Claimed task, starting generation'",
        // Two pipes are read by two threads: a worker's lines are apart in time, and the
        // stderr line must come after the stdout line that made task-b current.
        "sleep 0.5",
        // A Python traceback: one record, an ERROR, whose message is the exception line.
        "printf 'Traceback (most recent call last):\\n  File \"worker.py\", line 410, in process\\n"
            + "    frames = pipe(prompt)\\nRuntimeError: CUDA error: an illegal memory access\\n' >&2",
        "sleep 0.5",
        "echo '[10:00:05] ERROR GENERATOR [Task task-b] CUDA out of memory'",
        "exit 3");

    Cli.Result result = Cli.run("run", "--worker", "wrapped-1", "--db-url", url, "--interval", "200ms",
        "--home", folder.resolve("home").toString(), "--", "sh", script.toString());

    assertThat(result.exitCode()).as(result.err()).isEqualTo(3);
    assertThat(result.out()).contains("[10:00:02] WARNING GENERATOR [Task task-a] Low VRAM headroom");
    assertThat(result.err()).contains("Traceback (most recent call last):");
    List<StoredRecord> records = store.logs(new LogFilter("wrapped-1", null, null, null, null, null, 100));
    // stdout and stderr are two pipes: their relative order cannot be known, each one's is kept.
    List<StoredRecord> fromStdout = records.stream().filter(r -> !r.metadataJson().contains("stderr")).toList();
    assertThat(fromStdout).extracting(StoredRecord::message, StoredRecord::level, StoredRecord::taskId)
        .containsExactly(
            tuple("Worker started, polling for tasks", "INFO", null),
            tuple("Claimed task, starting generation", "INFO", "task-a"),
            tuple("Low VRAM headroom", "WARNING", "task-a"),
            tuple("plain line inside task a", "INFO", "task-a"),
            tuple("Task completed", "INFO", "task-a"),
            tuple("plain line between tasks", "INFO", null),
            tuple("Claimed task, starting generation", "INFO", "task-b"),
            tuple("CUDA out of memory", "ERROR", "task-b"),
            // The process died during task-b, so the crash belongs to task-b's timeline.
            tuple("the worker process exited with code 3", "ERROR", "task-b"));
    assertThat(records).filteredOn(r -> r.metadataJson().contains("\"stream\": \"stderr\""))
        .extracting(StoredRecord::message, StoredRecord::level, StoredRecord::taskId)
        .containsExactly(tuple("RuntimeError: CUDA error: an illegal memory access", "ERROR", "task-b"));
    assertThat(records).filteredOn(r -> r.metadataJson().contains("\"stream\": \"stderr\""))
        .singleElement().extracting(StoredRecord::exception).isEqualTo("Traceback (most recent call last):\n"
            + "  File \"worker.py\", line 410, in process\n    frames = pipe(prompt)\n"
            + "RuntimeError: CUDA error: an illegal memory access");
    assertThat(fromStdout.get(8).exception())
        .as("the crash's record says why: the last traceback of the task it died in")
        .isEqualTo("Traceback (most recent call last):\n"
            + "  File \"worker.py\", line 410, in process\n    frames = pipe(prompt)\n"
            + "RuntimeError: CUDA error: an illegal memory access");
    assertThat(Cli.run("logs", "--worker", "wrapped-1", "--level", "ERROR", "--db-url", url).out())
        .as("heartlog logs prints a stack trace once when the crash's record repeats it")
        .containsOnlyOnce("frames = pipe(prompt)").containsPattern("the worker process exited with code 3\n    \\(the stack trace of the record at 20[-0-9]+ [0-9:.]+Z\\)\n");
    assertThat(fromStdout.get(2).metadataJson()).contains("\"component\": \"GENERATOR\"");
    assertThat(fromStdout.get(4).metadataJson()).contains("\"kind\": \"success\"");
    assertThat(store.workers(Store.DEFAULT_STALE_AFTER)).singleElement()
        .satisfies(w -> assertThat(w.health()).isEqualTo("crashed"));
  }

  @Test
  void levelsPerComponentKeepOnlyWhatIsAskedForOfEachComponentALineNames() throws IOException {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path script = script("components.sh",
        "echo '[10:00:00] DEBUG GENERATOR step 1 of 30'",
        "echo '[10:00:01] INFO QUEUE polled, nothing to do'",
        "echo '[10:00:02] WARNING QUEUE queue slow'",
        "echo '[10:00:03] INFO HEARTBEAT beat'",
        "echo 'a line naming no component'",
        "exit 4");

    // heartlog run's own record of the exit is the logger heartlog.run's.
    Cli.Result result = Cli.run("run", "--worker", "wrapped-levels", "--db-url", url, "--levels", "WARNING,generator=DEBUG,heartlog=OFF",
        "--home", folder.resolve("home").toString(), "--", "sh", script.toString());
    Cli.Result wrong = Cli.run("run", "--worker", "wrapped-levels", "--db-url", url, "--levels", "GENERATOR=LOUD",
        "--home", folder.resolve("home").toString(), "--", "true");
    Cli.Result misspelt = Cli.run("run", "--worker", "wrapped-levels", "--db-url", url, "--stderr-level", "WARNIG",
        "--home", folder.resolve("home").toString(), "--", "true");

    assertThat(result.exitCode()).as(result.err()).isEqualTo(4);
    assertThat(result.out()).as("every line still shows").contains("INFO HEARTBEAT beat", "a line naming no component");
    assertThat(store.logs(new LogFilter("wrapped-levels", null, null, null, null, null, 100)))
        .extracting(StoredRecord::message).containsExactly("step 1 of 30", "queue slow");
    assertThat(wrong.exitCode()).isEqualTo(2);
    assertThat(wrong.err()).contains("--levels: 'GENERATOR=LOUD': 'LOUD' is not a level");
    assertThat(misspelt.exitCode()).as("before, every stderr line was stored as INFO").isEqualTo(2);
    assertThat(misspelt.err()).contains("--stderr-level: 'WARNIG' is not a level");
  }

  @Test
  void aBadIntervalOrWorkerIdIsABadFlagAndTheWorkerIsNotStarted() throws IOException {
    Path ran = folder.resolve("ran");
    Path script = script("touch.sh", "touch " + ran);

    for (String interval : List.of("0s", "banana")) {
      Cli.Result result = Cli.run("run", "--worker", "wrapped-interval", "--interval", interval,
          "--home", folder.resolve("home").toString(), "--", "sh", script.toString());

      assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
      assertThat(result.err()).startsWith("heartlog: --interval must be ")
          .contains("'" + interval + "'", "Try 'heartlog run --help' for the options.");
    }
    // A worker id longer than the store takes, which it would refuse at every heartbeat.
    Cli.Result longId = Cli.run("run", "--worker", "w".repeat(3_000), "--home", folder.resolve("home").toString(),
        "--", "sh", script.toString());
    assertThat(longId.exitCode()).as(longId.err()).isEqualTo(2);
    assertThat(longId.err()).startsWith("heartlog: --worker: worker id is 3000 bytes long; heartlog takes worker ids of at most 2000");
    assertThat(ran).doesNotExist();
  }

  @Test
  void aDatabaseThatIsDownDoesNotKeepTheWorkerFromRunningAndItsRecordsArriveOnTheNextStart() throws IOException {
    String worker = "wrapped-db-down-" + java.util.UUID.randomUUID();
    // Nothing listens on port 1: the database is down.
    Cli.Result down = Cli.run("run", "--worker", worker, "--db-url", "jdbc:postgresql://127.0.0.1:1/orchestrator",
        "--", "sh", "-c", "echo rendered while the database was down; exit 4");

    assertThat(down.exitCode()).as(down.err()).isEqualTo(4);
    assertThat(down.out()).contains("rendered while the database was down");
    Path spool = Path.of(System.getenv().getOrDefault("HEARTLOG_SPOOL_DIR", "heartlog-spool"), worker);
    assertThat(spool).as("the records wait in the worker's spool").isNotEmptyDirectory();

    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Cli.Result up = Cli.run("run", "--worker", worker, "--db-url", url, "--", "sh", "-c", "echo rendered after");

    assertThat(up.exitCode()).as(up.err()).isZero();
    assertThat(store.logs(new LogFilter(worker, null, null, null, null, null, 100)))
        .extracting(StoredRecord::message)
        .containsExactly("rendered while the database was down", "the worker process exited with code 4", "rendered after");
  }

  @Test
  void colouredLinesShowInColourAndAreRecordedAsTextAtTheLevelTheyName() throws IOException {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path script = script("colours.sh",
        "printf '\\033[32mINFO\\033[0m \\033[1mmodel loaded\\033[0m\\n'",
        "printf '\\033[31mERROR\\033[0m: CUDA out of memory\\n' >&2");

    Cli.Result result = Cli.run("run", "--worker", "wrapped-colours", "--db-url", url,
        "--home", folder.resolve("home").toString(), "--", "sh", script.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("\u001b[32mINFO\u001b[0m \u001b[1mmodel loaded\u001b[0m");
    assertThat(store.logs(new LogFilter("wrapped-colours", null, null, null, null, null, 10)))
        .extracting(StoredRecord::level, StoredRecord::message)
        .containsExactlyInAnyOrder(tuple("INFO", "INFO model loaded"), tuple("ERROR", "CUDA out of memory"));
  }

  @Test
  void aCleanExitEndsStoppedWithTheChildsExitCode() {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);

    Cli.Result result = Cli.run("run", "--worker", "wrapped-2", "--db-url", url,
        "--home", folder.resolve("home2").toString(), "--", "sh", "-c", "echo done");

    assertThat(result.exitCode()).isZero();
    assertThat(store.workers(Store.DEFAULT_STALE_AFTER)).singleElement()
        .satisfies(w -> assertThat(w.health()).isEqualTo("stopped"));
  }

  @Test
  void aProgressBarIsEchoedAsDrawnAndRecordedAsAFewStatesNotARecordARedraw() throws IOException {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path script = script("bar.sh",
        "echo 'Loading model'",
        // As tqdm draws on stderr: a carriage return before each state, a newline after the last.
        "i=1; while [ $i -le 300 ]; do printf '\\r%d/300' $i >&2; i=$((i+1)); done",
        "printf '\\n' >&2",
        "echo 'Generation done'");

    Cli.Result result = Cli.run("run", "--worker", "wrapped-bar", "--db-url", url,
        "--home", folder.resolve("home-bar").toString(), "--", "sh", script.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.err()).contains("\r1/300\r2/300\r3/300").contains("\r300/300\n");
    List<StoredRecord> records = store.logs(new LogFilter("wrapped-bar", null, null, null, null, null, 1000));
    List<StoredRecord> bar = records.stream().filter(r -> r.metadataJson().contains("\"stream\": \"stderr\"")).toList();
    // The first state and the last; a state every 10 s between, where drawing took that long.
    assertThat(bar).hasSizeBetween(2, 4);
    assertThat(bar.get(0).message()).isEqualTo("1/300");
    assertThat(bar.get(bar.size() - 1).message()).isEqualTo("300/300");
    assertThat(bar).allSatisfy(r -> {
      assertThat(r.level()).isEqualTo("INFO");
      assertThat(r.metadataJson()).contains("\"kind\": \"progress\"");
    });
    assertThat(records).extracting(StoredRecord::message).contains("Loading model", "Generation done");
  }

  @Test
  void aLineIsEchoedWhileTheWorkerPausesNotOnlyWhenItExits() throws Exception {
    // As a terminal gets it: through a buffer that is written out only when flushed.
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    CommandLine commandLine = Cli.commandLine(new ByteArrayOutputStream(), new ByteArrayOutputStream());
    ((RunCommand) commandLine.getSubcommands().get("run").getCommand()).stdout = new BufferedOutputStream(terminal);
    // The worker prints a line and waits until the test has seen it.
    Path go = folder.resolve("go");
    String url = TestDatabase.migratedUrl();   // a store: else its records would wait in the spool, for the next run of the test
    Thread run = new Thread(() -> commandLine
        .execute("run", "--worker", "wrapped-echo", "--db-url", url,
            "--home", folder.resolve("home-echo").toString(), "--",
            "sh", "-c", "echo first; while [ ! -f '" + go + "' ]; do sleep 0.1; done; echo second"));
    run.start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> terminal.toString(StandardCharsets.UTF_8).contains("first"));
    } finally {
      Files.createFile(go);
      run.join();
    }
    assertThat(terminal.toString(StandardCharsets.UTF_8)).isEqualTo("first\nsecond\n");
  }

  /**
   * stdout and stderr are read on threads of their own, and a line is parsed once its echo is
   * written: a failure logged on stderr whose echo was held up (here until the next task had
   * begun on stdout; a slow terminal, or a thread that waits its turn) was filed under that next
   * task, which then read as failed. It is the task's that was current when the line was read, at
   * the time it was read.
   */
  @Test
  void aLineParsedAfterTheOtherStreamBeganTheNextTaskKeepsTheTaskItWasReadIn() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    HeldStderr held = new HeldStderr("frame 3 failed", "first frame of task-b");
    Path script = script("late.sh",
        held.startLines(),
        "echo '[10:00:01] INFO WORKER [Task task-a] Claimed task'",
        "sleep 0.3",
        "echo 'ERROR:render:frame 3 failed' >&2",
        "sleep 0.3",   // read well before the next task's start, on the other stream
        "echo '[10:00:02] INFO WORKER [Task task-b] Claimed task'",
        "sleep 0.3",
        "echo 'first frame of task-b'");

    int exitCode = held.run("wrapped-late", url, script);

    assertThat(exitCode).isZero();
    List<StoredRecord> records = store.logs(new LogFilter("wrapped-late", null, null, null, null, null, 100));
    assertThat(records).extracting(StoredRecord::message, StoredRecord::taskId).contains(
        tuple("frame 3 failed", "task-a"),
        tuple("Claimed task", "task-b"),
        tuple("first frame of task-b", "task-b"));
    StoredRecord failure = records.stream().filter(r -> r.message().equals("frame 3 failed")).findFirst().orElseThrow();
    StoredRecord nextStart = records.stream().filter(r -> "task-b".equals(r.taskId()) && r.message().equals("Claimed task"))
        .findFirst().orElseThrow();
    assertThat(failure.timestamp()).as("the failure's time is when it was read").isBefore(nextStart.timestamp());
  }

  /**
   * A worker that logs faster than heartlog run reads (here its stderr's echo is held, as a slow
   * terminal holds it) has lines waiting in the pipe when it prints its task's end on the other
   * stream: they were written before that line, and are filed under the task it ends, before its
   * end, though read after it. Before, the lines a flood of 5,000 errors left in the pipe, 510 to
   * 959 of them, were filed under no task. The lines written after heartlog read the end are of
   * no task, though they were in the pipe with the others.
   */
  @Test
  void linesWaitingInOneStreamsPipeWhenTheOtherEndsTheTaskAreThatTasks() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    HeldStderr held = new HeldStderr("frame 0 upload refused", "Task failed", 300);
    Path script = script("backlog.sh",
        held.startLines(),
        "echo '[10:00:01] INFO WORKER [Task task-a] Claimed task'",
        "sleep 0.3",
        // 600 lines, 27 KiB: in the pipe while the echo of the first is held (it holds 64 KiB).
        // Over 60 ms, as a logger writes them: a stream's lines are stamped a microsecond apart
        // at least, and 600 written in less than 600 µs could not all be stamped before the end.
        "i=0; while [ $i -lt 600 ]; do echo \"ERROR:render:frame $i upload refused, retrying\" >&2; "
            + "if [ $((i % 100)) -eq 99 ]; then sleep 0.01; fi; i=$((i + 1)); done",
        "echo '[10:00:02] ERROR WORKER [Task task-a] Task failed'",
        // Once heartlog has read the end, and before stderr is read on: in the pipe after the
        // frames, where a read of 8 KiB would take them with the last frames.
        "i=0; while [ ! -f '" + held.echoed + "' ] && [ $i -lt 300 ]; do sleep 0.01; i=$((i + 1)); done",
        "i=0; while [ $i -lt 20 ]; do echo \"WARNING:render:idle $i, waiting for work\" >&2; i=$((i + 1)); done");

    int exitCode = held.run("wrapped-backlog", url, script);

    assertThat(exitCode).isZero();
    List<StoredRecord> records = store.logs(new LogFilter("wrapped-backlog", null, null, null, null, null, 1_000));
    List<StoredRecord> frames = records.stream().filter(r -> r.message().contains("upload refused")).toList();
    StoredRecord end = records.stream().filter(r -> r.message().equals("Task failed")).findFirst().orElseThrow();
    assertThat(frames).hasSize(600).allSatisfy(frame -> {
      assertThat(frame.taskId()).as(frame.message()).isEqualTo("task-a");
      assertThat(frame.timestamp()).as(frame.message()).isBefore(end.timestamp());
    });
    assertThat(records).filteredOn(r -> r.message().startsWith("idle ")).hasSize(20)
        .allSatisfy(idle -> assertThat(idle.taskId()).as(idle.message()).isNull());
  }

  /**
   * A traceback printed long before the worker exits (a helper process's crash) but parsed only
   * as it exits, its echo held up, was read in the task before: it keeps that task, where a crash
   * printed as the worker exits is filed under the task begun on stdout.
   */
  @Test
  void anUncaughtTracebackReadLongBeforeTheEndButParsedAtItKeepsTheTaskItWasReadIn() throws Exception {
    String url = TestDatabase.migratedUrl();
    HeldStderr held = new HeldStderr("MemoryError", "first frame of task-b");
    Path script = script("late-crash.sh",
        held.startLines(),
        "echo '[10:00:01] INFO WORKER [Task task-a] Claimed task'",
        "sleep 0.3",
        "printf 'Traceback (most recent call last):\\n  File \"helper.py\", line 3, in <module>\\n"
            + "MemoryError: the helper ran out\\n' >&2",
        "sleep 0.3",
        "echo '[10:00:02] INFO WORKER [Task task-b] Claimed task'",
        "sleep 0.3",
        "echo 'first frame of task-b'");

    assertThat(held.run("wrapped-late-crash", url, script)).isZero();

    assertThat(store(url).logs(new LogFilter("wrapped-late-crash", null, null, null, null, null, 100)))
        .extracting(StoredRecord::message, StoredRecord::taskId)
        .contains(tuple("MemoryError: the helper ran out", "task-a"), tuple("first frame of task-b", "task-b"));
  }

  /**
   * A crash's traceback on stderr read before the task's start on stdout, and parsed after it,
   * was read in no task and filed under the task then current, as a crash is the last thing a
   * worker prints. The exit's record compared the task the traceback was read in with the task it
   * died in, found them different, and named the last lines it printed ("reading stderr") as why
   * it died; here, past their window, nothing.
   */
  @Test
  void aCrashReadBeforeItsTasksStartIsTheExitsExceptionInTheTaskItWasFiledUnder() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    HeldStderr held = new HeldStderr("Traceback", "loading model");
    Path script = script("crash.sh",
        held.startLines(),
        "printf 'Traceback (most recent call last):\\n  File \"w.py\", line 9, in <module>\\n"
            + "RuntimeError: CUDA error: out of memory\\n' >&2",
        "sleep 0.3",
        "echo '[10:00:01] INFO WORKER [Task task-a] Claimed task'",
        "sleep 0.3",   // the marker in a read of its own, after the task's start is parsed
        "echo 'loading model'",
        // A CUDA worker's teardown may take seconds after the traceback: past the window in
        // which a traceback read in no task may still be the task's.
        "sleep " + (WorkerLines.LAST_WORDS_WINDOW.toMillis() + 1000) / 1000.0,
        "exit 1");

    int exitCode = held.run("wrapped-crash", url, script);

    assertThat(exitCode).isEqualTo(1);
    StoredRecord crash = store.logs(new LogFilter("wrapped-crash", null, null, null, null, null, 100)).stream()
        .filter(r -> r.message().equals("RuntimeError: CUDA error: out of memory")).findFirst().orElseThrow();
    assertThat(crash.taskId()).isEqualTo("task-a");
    assertThat(exitRecord(store, "wrapped-crash")).satisfies(exit -> {
      assertThat(exit.taskId()).isEqualTo("task-a");
      assertThat(exit.exception()).isEqualTo(crash.exception());
    });
  }

  /**
   * A worker that claims a task on stdout and crashes at once: its traceback on stderr may be
   * read before the claim, which the stdout thread reads late (here it is still passing on the
   * line before). The crash was filed under the task before, which a moment earlier had logged
   * "Task completed" and then read as failed; half of ten runs of a Python worker did so. It is
   * recorded once stdout has been read to its end, under the task it began.
   */
  @Test
  void aCrashReadBeforeTheClaimOfItsTaskOnStdoutIsFiledUnderThatTask() throws Exception {
    String url = TestDatabase.migratedUrl();

    List<StoredRecord> records = crashedOnClaim("wrapped-claim", url, "MemoryError", "Traceback (most recent call last):\\n"
        + "  File \"w.py\", line 19, in <module>\\nMemoryError: out of host memory while decoding\\n");

    assertThat(records).extracting(StoredRecord::message, StoredRecord::taskId)
        .contains(tuple("Task completed", "task-a"));
    assertCrashIsTaskBs(records, "MemoryError: out of host memory while decoding");
    assertExitSaysItIsTaskBs(url, "wrapped-claim", "MemoryError: out of host memory while decoding");
  }

  /**
   * The crash of a worker in another runtime, read before the claim of its task as a Python
   * worker's is: a JVM's uncaught exception, a Go panic, a Rust panic, Node.js's uncaught error, a
   * C++ abort; and Python's own on a fatal signal, faulthandler's dump of a segfault. Each ends
   * otherwise than with its exception's line, and only Python's traceback was filed under the
   * task it began (a Java worker's, under the task before in 5 of 10 runs; a segfault's, in 8).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("crashesOfOtherRuntimes")
  void anotherRuntimesCrashReadBeforeTheClaimOfItsTaskIsFiledUnderThatTask(String runtime, String marker,
      String stderrLines, String message) throws Exception {
    String url = TestDatabase.migratedUrl();
    String worker = "wrapped-" + runtime;

    assertCrashIsTaskBs(crashedOnClaim(worker, url, marker, stderrLines), message);
  }

  static Stream<Arguments> crashesOfOtherRuntimes() {
    return Stream.of(
        Arguments.of("jvm", "Exception in thread",
            "Exception in thread \"main\" java.lang.IllegalStateException: out of host memory\n"
                + "\tat W.decode(W.java:19)\n\tat W.main(W.java:17)\n",
            "Exception in thread \"main\" java.lang.IllegalStateException: out of host memory"),
        Arguments.of("go", "panic:",
            "panic: runtime error: index out of range [5] with length 3\n\ngoroutine 1 [running]:\n"
                + "main.main()\n\t/app/main.go:8 +0x1d\n",
            "panic: runtime error: index out of range [5] with length 3"),
        Arguments.of("rust", "panicked at",
            "thread \\047main\\047 panicked at src/main.rs:4:5:\nout of host memory\n"
                + "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n",
            "thread 'main' panicked at src/main.rs:4:5: out of host memory"),
        Arguments.of("node", "Node.js v",
            "/app/worker.js:12\n    throw new Error(\"out of host memory\");\n    ^\n\n"
                + "Error: out of host memory\n    at render (/app/worker.js:12:11)\n\nNode.js v20.11.1\n",
            "Error: out of host memory"),
        Arguments.of("cpp", "terminate called",
            "terminate called after throwing an instance of \\047std::runtime_error\\047\n"
                + "  what():  frame 12: decoder returned no data\n",
            "std::runtime_error: frame 12: decoder returned no data"),
        Arguments.of("python-fatal", "Fatal Python error",
            "Fatal Python error: Segmentation fault\n\nCurrent thread 0x00007fe1cee33b80 (most recent call first):\n"
                + "  File \"/app/w.py\", line 8 in <module>\n",
            "Fatal Python error: Segmentation fault"));
  }

  /**
   * A worker that claims a task and crashes at once, and takes a while to exit (a CUDA worker's
   * teardown): its traceback, read before the claim, was recorded once stderr had been quiet for
   * a moment, while the worker still ran, under the task before (4 of 10 runs of a Python worker
   * that took 0.6 s). It is held, and filed under the task current when the worker failed.
   */
  @Test
  void aCrashReadBeforeTheClaimOfItsTaskOfAWorkerSlowToExitIsFiledUnderThatTask() throws Exception {
    String url = TestDatabase.migratedUrl();

    assertCrashIsTaskBs(tracebackBeforeTheClaim("wrapped-slow-exit", url, 1.0, 1),
        "MemoryError: out of host memory while decoding");
    assertExitSaysItIsTaskBs(url, "wrapped-slow-exit", "MemoryError: out of host memory while decoding");
  }

  /** The crash, its record's message {@code crash}, is task-b's, and task-a, done before it, did not fail. */
  private static void assertCrashIsTaskBs(List<StoredRecord> records, String crash) {
    assertThat(records).extracting(StoredRecord::message, StoredRecord::taskId).contains(tuple(crash, "task-b"));
    assertThat(records).filteredOn(r -> "task-a".equals(r.taskId())).as("task-a did not fail")
        .allMatch(r -> r.level().equals("INFO"));
  }

  /** The record of the worker's exit is task-b's failure, and names the traceback that ends in {@code crash}. */
  private static void assertExitSaysItIsTaskBs(String url, String worker, String crash) {
    assertThat(exitRecord(store(url), worker)).satisfies(exit -> {
      assertThat(exit.taskId()).isEqualTo("task-b");
      assertThat(exit.exception()).endsWith(crash);
    });
  }

  /**
   * The same traceback from a worker that lived on after it: printed before the claim, as a
   * worker prints a traceback it caught ({@code traceback.print_exc()}), it is the task's before.
   * Here the worker exits 0 within the moment a crash is waited for, or fails only after it.
   */
  @ParameterizedTest(name = "exits {1} after {0} s")
  @CsvSource({"1.0, 0", "6.0, 1"})
  void aTracebackBeforeTheClaimOfAWorkerThatLivesOnKeepsItsTask(double secondsToExit, int exitCode) throws Exception {
    String url = TestDatabase.migratedUrl();
    String worker = "wrapped-lives-on-" + exitCode;

    List<StoredRecord> records = tracebackBeforeTheClaim(worker, url, secondsToExit, exitCode);

    assertThat(records).extracting(StoredRecord::message, StoredRecord::taskId)
        .contains(tuple("MemoryError: out of host memory while decoding", "task-a"));
  }

  /**
   * A worker that claims a task and aborts at once, saying why on stderr in plain lines, as
   * glibc does: the lines were recorded before the claim was parsed, under the task before, and
   * the exit's record named the last line on stdout, {@code Claimed task}, as why the worker died
   * (7 of 10 runs of a Python worker, PyTorch's abort before heartlog read it as a crash). It
   * names the lines recorded as the task began.
   */
  @Test
  void anAbortSaidOnStderrAsTheTaskBeganIsWhyItsWorkerDied() throws Exception {
    String url = TestDatabase.migratedUrl();
    CountDownLatch abortSeen = new CountDownLatch(1);
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    CommandLine commandLine = Cli.commandLine(terminal, new ByteArrayOutputStream());
    RunCommand run = commandLine.getSubcommands().get("run").getCommand();
    run.stdout = terminal(terminal, text -> {
      if (text.contains("[Task task-b]")) {
        awaitThenPause(abortSeen, 100);   // the claim, read, is parsed once the abort's lines are recorded
      }
    });
    run.stderr = terminal(new ByteArrayOutputStream(), text -> {
      if (text.contains("double free")) {
        abortSeen.countDown();
      }
    });
    Path script = script("abort.sh",
        "echo '[10:00:01] INFO WORKER [Task task-a] Claimed task'",
        "sleep 0.3",
        "printf '[10:00:02] INFO WORKER [Task task-a] Task completed\\n[10:00:02] INFO WORKER [Task task-b] Claimed task\\n'",
        "sleep 0.05",
        "printf 'free(): double free detected in tcache 2\\n' >&2",
        "kill -ABRT $$");

    assertThat(commandLine.execute("run", "--worker", "wrapped-abort", "--db-url", url,
        "--home", folder.resolve("home").toString(), "--", "sh", script.toString())).isEqualTo(128 + 6);

    assertThat(abortSeen.getCount()).as("the abort's lines were read").isZero();
    StoredRecord exit = store(url).logs(new LogFilter("wrapped-abort", null, null, null, null, null, 100)).stream()
        .filter(r -> r.message().startsWith("the worker process was killed by signal 6")).findFirst().orElseThrow();
    assertThat(exit.taskId()).isEqualTo("task-b");
    assertThat(exit.exception()).isEqualTo("free(): double free detected in tcache 2");
  }

  /**
   * A worker whose stderr goes to its stdout ({@code 2>&1}): a traceback and the claim after it
   * come in one stream, in the order printed, so the traceback is the task's before, however
   * soon the worker fails after.
   */
  @Test
  void aTracebackBeforeTheClaimInOneStreamKeepsItsTask() throws Exception {
    String url = TestDatabase.migratedUrl();
    Path script = script("one-stream.sh",
        "exec 2>&1",
        "echo '[10:00:01] INFO WORKER [Task task-a] Claimed task'",
        "printf 'Traceback (most recent call last):\\n  File \"w.py\", line 19, in <module>\\n"
            + "MemoryError: out of host memory while decoding\\n'",
        "echo '[10:00:02] INFO WORKER [Task task-b] Claimed task'",
        "sleep 1",
        "exit 1");

    assertThat(Cli.commandLine(new ByteArrayOutputStream(), new ByteArrayOutputStream()).execute("run",
        "--worker", "wrapped-one-stream", "--db-url", url, "--home", folder.resolve("home").toString(),
        "--", "sh", script.toString())).isEqualTo(1);

    assertThat(store(url).logs(new LogFilter("wrapped-one-stream", null, null, null, null, null, 100)))
        .extracting(StoredRecord::message, StoredRecord::taskId)
        .contains(tuple("MemoryError: out of host memory while decoding", "task-a"));
  }

  /**
   * Runs a worker that prints the claim of task-b on stdout and a traceback on stderr, then exits
   * with {@code exitCode} after {@code secondsToExit}; the traceback is read before the claim, and
   * parsed after it (each stream's echo waits for the other's). Its records.
   */
  private List<StoredRecord> tracebackBeforeTheClaim(String worker, String url, double secondsToExit, int exitCode)
      throws Exception {
    CountDownLatch tracebackRead = new CountDownLatch(1);
    CountDownLatch claimRead = new CountDownLatch(1);
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    CommandLine commandLine = Cli.commandLine(terminal, new ByteArrayOutputStream());
    RunCommand run = commandLine.getSubcommands().get("run").getCommand();
    run.stdout = terminal(terminal, text -> {
      if (text.contains("rendering frame 9")) {
        awaitThenPause(tracebackRead, 0);   // the claim's read comes after the traceback's
      }
      if (text.contains("[Task task-b]")) {
        claimRead.countDown();
      }
    });
    run.stderr = terminal(new ByteArrayOutputStream(), text -> {
      if (text.contains("MemoryError")) {
        tracebackRead.countDown();
        awaitThenPause(claimRead, 100);   // parsed once the claim is
      }
    });
    Path script = script(worker + ".sh",
        "echo '[10:00:01] INFO WORKER [Task task-a] Claimed task'",
        "sleep 0.3",
        "echo 'rendering frame 9'",
        "sleep 0.3",
        "printf '[10:00:02] INFO WORKER [Task task-a] Task completed\\n[10:00:02] INFO WORKER [Task task-b] Claimed task\\n'",
        "printf 'Traceback (most recent call last):\\n  File \"w.py\", line 19, in <module>\\n"
            + "MemoryError: out of host memory while decoding\\n' >&2",
        "sleep " + secondsToExit,
        "exit " + exitCode);

    assertThat(commandLine.execute("run", "--worker", worker, "--db-url", url,
        "--home", folder.resolve("home").toString(), "--", "sh", script.toString())).isEqualTo(exitCode);
    assertThat(claimRead.getCount()).as("the claim was read").isZero();
    return store(url).logs(new LogFilter(worker, null, null, null, null, null, 100));
  }

  /** A logged error's traceback, the last thing the worker printed, stays under the task it was read in. */
  @Test
  void aLoggedErrorsTracebackAsTheWorkerExitsKeepsItsTask() throws Exception {
    String url = TestDatabase.migratedUrl();

    List<StoredRecord> records = crashedOnClaim("wrapped-logged", url, "MemoryError", "ERROR:upload:upload of frame 9 failed\\n"
        + "Traceback (most recent call last):\\n  File \"w.py\", line 7, in <module>\\n"
        + "MemoryError: out of host memory while decoding\\n");

    assertThat(records).extracting(StoredRecord::message, StoredRecord::taskId)
        .contains(tuple("upload of frame 9 failed", "task-a"));
  }

  /** What a test's terminal does with the text of each write the worker's output is passed on in. */
  @FunctionalInterface
  private interface Written {
    void seen(String text) throws IOException;
  }

  /**
   * A terminal that keeps what it is given in {@code kept} and then hands each write's text to
   * {@code written}, which may hold the write up: heartlog run passes a read on before it parses it.
   */
  private static OutputStream terminal(ByteArrayOutputStream kept, Written written) {
    return new OutputStream() {
      @Override
      public void write(int b) {
        kept.write(b);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        kept.write(bytes, offset, length);
        written.seen(new String(bytes, offset, length, StandardCharsets.UTF_8));
      }
    };
  }

  /** Waits for {@code latch} (20 s at most), then {@code pauseMillis} more. */
  private static void awaitThenPause(CountDownLatch latch, long pauseMillis) throws InterruptedIOException {
    try {
      latch.await(20, TimeUnit.SECONDS);
      Thread.sleep(pauseMillis);
    } catch (InterruptedException e) {
      throw new InterruptedIOException();
    }
  }

  /**
   * heartlog run of a worker that claims task-b on stdout right after task-a completed, prints
   * {@code stderrLines} as it exits (a {@code printf} of them, ending in {@code MemoryError}),
   * and exits 1; the claim is read after stderr has been read to its end. Its records.
   */
  private List<StoredRecord> crashedOnClaim(String worker, String url, String crashMarker, String stderrLines)
      throws Exception {
    CountDownLatch stderrEnded = new CountDownLatch(1);
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    CommandLine commandLine = Cli.commandLine(terminal, new ByteArrayOutputStream());
    RunCommand run = commandLine.getSubcommands().get("run").getCommand();
    run.stdout = terminal(terminal, text -> {
      if (text.contains("rendering frame 9")) {
        // stdout's next read, the claim, waits until stderr has been read to its end, and longer
        // than a held traceback waits for more of it (WorkerLines.TRACEBACK_QUIET)
        awaitThenPause(stderrEnded, WorkerLines.TRACEBACK_QUIET.toMillis() + 200);
      }
    });
    run.stderr = new OutputStream() {
      private int flushesSinceCrash = -1;

      @Override
      public void write(int b) {
      }

      @Override
      public void write(byte[] bytes, int offset, int length) {
        if (new String(bytes, offset, length, StandardCharsets.UTF_8).contains(crashMarker)) {
          flushesSinceCrash = 0;
        }
      }

      @Override
      public void flush() {
        // The stderr thread flushes after the read that holds the crash, and again at the end of
        // the stream, once it has read the crash.
        if (flushesSinceCrash >= 0 && ++flushesSinceCrash == 2) {
          stderrEnded.countDown();
        }
      }
    };
    Path script = script(worker + ".sh",
        "echo '[10:00:01] INFO WORKER [Task task-a] Claimed task'",
        "sleep 0.3",
        "echo 'rendering frame 9'",
        "sleep 0.3",
        "printf '[10:00:02] INFO WORKER [Task task-a] Task completed\\n[10:00:02] INFO WORKER [Task task-b] Claimed task\\n'",
        "printf '" + stderrLines + "' >&2",
        "exit 1");

    int exitCode = commandLine.execute("run", "--worker", worker, "--db-url", url,
        "--home", folder.resolve("home").toString(), "--", "sh", script.toString());

    assertThat(exitCode).isEqualTo(1);
    assertThat(stderrEnded.getCount()).as("stdout's claim was read after stderr's end").isZero();
    return store(url).logs(new LogFilter(worker, null, null, null, null, null, 100));
  }

  private static Store store(String url) {
    return Store.open(url, null, null);
  }

  /**
   * heartlog run of a shell script whose stderr is parsed only once its stdout has been: the echo
   * of the stderr read holding {@code stderrMarker} waits until stdout's read holding {@code
   * stdoutMarker} has been echoed, and so parsed the lines read before it (a thread echoes a read
   * before it parses it). The script waits with {@link #startLines()} until heartlog run reads
   * both streams: a line already in a pipe when its reader starts is read, and timed, only then.
   */
  private final class HeldStderr {
    private final String stderrMarker;
    private final String stdoutMarker;
    private final Path go = folder.resolve("go");
    /** Made as the stdout marker's line is echoed: a script may wait for it. */
    final Path echoed = folder.resolve("echoed");
    private final CountDownLatch reading = new CountDownLatch(2);
    private final CountDownLatch stdoutParsed = new CountDownLatch(1);
    private final long heldAfterMillis;

    HeldStderr(String stderrMarker, String stdoutMarker) {
      this(stderrMarker, stdoutMarker, 0);
    }

    /** Holds stderr's echo {@code heldAfterMillis} longer, after the stdout marker's echo. */
    HeldStderr(String stderrMarker, String stdoutMarker, long heldAfterMillis) {
      this.stderrMarker = stderrMarker;
      this.stdoutMarker = stdoutMarker;
      this.heldAfterMillis = heldAfterMillis;
    }

    /** The script's first lines: it goes on once heartlog run reads both its streams. */
    String startLines() {
      return "echo 'reading stdout'; echo 'reading stderr' >&2\n"
          + "i=0; while [ ! -f '" + go + "' ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done";
    }

    /** Runs {@code script} as {@code worker} into {@code url}; its exit code. */
    int run(String worker, String url, Path script) throws InterruptedException {
      Thread starter = new Thread(() -> {
        try {
          if (reading.await(30, TimeUnit.SECONDS)) {
            Files.createFile(go);
          }
        } catch (InterruptedException | IOException e) {
          // The worker waits no more than its own limit.
        }
      });
      starter.start();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      CommandLine commandLine = Cli.commandLine(out, new ByteArrayOutputStream());
      RunCommand run = commandLine.getSubcommands().get("run").getCommand();
      run.stdout = terminal(out, text -> {
        if (text.contains("reading stdout")) {
          reading.countDown();
        }
        if (text.contains(stdoutMarker)) {
          try {
            Files.createFile(echoed);
          } catch (IOException alreadyThere) {
            // Echoed before.
          }
          stdoutParsed.countDown();
        }
      });
      run.stderr = terminal(new ByteArrayOutputStream(), text -> {
        if (text.contains("reading stderr")) {
          reading.countDown();
        }
        if (text.contains(stderrMarker)) {
          awaitThenPause(stdoutParsed, heldAfterMillis);
        }
      });

      int exitCode = commandLine.execute("run", "--worker", worker, "--db-url", url,
          "--home", folder.resolve("home").toString(), "--", "sh", script.toString());

      starter.join();
      assertThat(go).as("heartlog run read both streams").exists();
      assertThat(stdoutParsed.getCount()).as("the stderr line's echo waited for stdout's").isZero();
      return exitCode;
    }
  }

  @Test
  void aPythonWorkersLinesArriveAsItPrintsThemNotWhenItExits() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is needed");
    String url = TestDatabase.migratedUrl();
    Path go = folder.resolve("go");
    Path worker = Files.writeString(folder.resolve("worker.py"), String.join("\n",
        "import os, time",
        "print('first')",
        "for _ in range(300):",
        "    if os.path.exists('" + go + "'):",
        "        break",
        "    time.sleep(0.1)",
        "print('second')", ""));
    // heartlog run in a JVM of its own, whose environment does not ask Python for unbuffered
    // output (the test's own may: PYTHONUNBUFFERED is often set in containers).
    ProcessBuilder builder = new ProcessBuilder(TestJvm.main(Main.class,
        "run", "--worker", "wrapped-python", "--db-url", url, "--home", folder.resolve("home").toString(), "--",
        "/usr/bin/python3", worker.toString()))
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().remove("PYTHONUNBUFFERED");
    Process run = builder.start();
    try (java.io.BufferedReader out = new java.io.BufferedReader(
        new java.io.InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8))) {
      java.util.concurrent.CompletableFuture<String> firstLine = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return out.readLine();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      // Python waits up to 30 s for the file; held in its buffer, 'first' would come only then.
      assertThat(firstLine.get(20, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("first");
      Files.createFile(go);
      assertThat(out.readLine()).isEqualTo("second");
    } finally {
      run.destroy();
      run.waitFor();
    }
    Map<String, String> environment = new java.util.HashMap<>(Map.of("PYTHONUNBUFFERED", ""));
    RunCommand.unbufferedOutput(environment);
    assertThat(environment).as("a value the user set is left alone").containsEntry("PYTHONUNBUFFERED", "");
  }

  @Test
  void sigtermReachesTheWorkerBehindALauncherScriptAndItsStopIsAStop() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path pidFile = folder.resolve("worker.pid");
    Path stopped = folder.resolve("worker.stopped");
    // Its stop prints two lines, the second after the launcher has exited: with the JDK's pipes,
    // closed when the launcher exits, that print failed (BrokenPipeError) and the line was lost.
    Path worker = Files.writeString(folder.resolve("worker.py"), String.join("\n",
        "import os, signal, sys, time",
        "def stop(*_):",
        "    try:",
        "        print('[10:00:05] INFO WORKER got SIGTERM, finishing frame 42', flush=True)",
        "        time.sleep(0.5)",
        "        print('[10:00:06] INFO WORKER shut down cleanly', flush=True)",
        "        open('" + stopped + "', 'w').write('SIGTERM')",
        "    except BaseException as e:",
        "        open('" + stopped + "', 'w').write(repr(e))",
        "    sys.exit(0)",
        "signal.signal(signal.SIGTERM, stop)",
        "open('" + pidFile + "', 'w').write(str(os.getpid()))",
        "while True:",
        "    time.sleep(0.1)", ""));
    // A start script: sh runs python as its child and does not pass SIGTERM on.
    Path launcher = script("start.sh", "echo '[10:00:00] INFO WORKER starting'", "/usr/bin/python3 " + worker,
        "echo '[10:00:02] INFO WORKER script done'");
    Process run = new ProcessBuilder(TestJvm.main(Main.class,
        "run", "--worker", "wrapped-launcher", "--db-url", url, "--home", folder.resolve("home").toString(), "--",
        "sh", launcher.toString()))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isEmpty());
    long pythonPid = Long.parseLong(Files.readString(pidFile).trim());

    run.destroy();   // SIGTERM to heartlog run
    assertThat(run.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    assertThat(stopped).as("the worker got the SIGTERM, not a SIGKILL after the grace").hasContent("SIGTERM");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(ProcessHandle.of(pythonPid)
        .map(ProcessHandle::isAlive).orElse(false)).as("no worker left running").isFalse());
    assertThat(store.logs(new LogFilter("wrapped-launcher", null, null, null, null, null, 100)))
        .extracting(StoredRecord::message).contains("starting",
            "got SIGTERM, finishing frame 42", "shut down cleanly",
            "the worker process was killed by signal 15 (SIGTERM) (exit code 143), as heartlog run was asked to stop");
    assertThat(store.workers(Store.DEFAULT_STALE_AFTER)).filteredOn(w -> w.id().equals("wrapped-launcher"))
        .singleElement().satisfies(w -> assertThat(w.health()).isEqualTo("stopped"));
    assertThat(WorkerExit.stoppedAsAsked(true, 143)).isTrue();
    assertThat(WorkerExit.stoppedAsAsked(false, 143)).as("not asked: killed by someone else").isFalse();
    assertThat(WorkerExit.stoppedAsAsked(true, 137)).as("killed after it did not stop in time").isFalse();
  }

  @Test
  void aProcessTheWorkerLeftRunningWithItsOutputDoesNotKeepHeartlogRunFromEnding() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path pidFile = folder.resolve("daemon.pid");
    // The worker starts a process that keeps its stdout and outlives it, as a daemon would.
    Path script = script("daemon.sh", "sleep 60 &", "echo $! > " + pidFile, "echo 'worker done'");

    Cli.Result result = Cli.run("run", "--worker", "left-running", "--db-url", url,
        "--home", folder.resolve("home").toString(), "--", "sh", script.toString());

    long daemon = Long.parseLong(Files.readString(pidFile).trim());
    try {
      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(ProcessHandle.of(daemon).map(ProcessHandle::isAlive).orElse(false))
          .as("heartlog run ended while the process holding the output still ran").isTrue();
      assertThat(store.logs(new LogFilter("left-running", null, null, null, null, null, 100)))
          .extracting(StoredRecord::message).contains("worker done");
    } finally {
      ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void whatTheWorkerPrintsIsPassedOnByteForByteAndItsLinesAreReadAsUtf8() throws IOException {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    // Not UTF-8 (0xFF, Latin-1's é), a NUL, UTF-8 text, then bytes of every value: a worker may
    // write a video to stdout for the next process in a pipe.
    byte[] printed = new byte[300];
    byte[] text = "bad \u00ff\u00e9 bytes\nnul \u0000 here\n".getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(text, 0, printed, 0, text.length);
    byte[] utf8 = "[10:00:00] ✅ GEN done é\n".getBytes(StandardCharsets.UTF_8);
    System.arraycopy(utf8, 0, printed, text.length, utf8.length);
    for (int i = text.length + utf8.length; i < printed.length; i++) {
      printed[i] = (byte) i;
    }
    Path file = Files.write(folder.resolve("printed.bin"), printed);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int exitCode = Cli.commandLine(out, err).execute("run", "--worker", "wrapped-bytes", "--db-url", url,
        "--home", folder.resolve("home").toString(), "--", "cat", file.toString());

    assertThat(exitCode).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toByteArray()).isEqualTo(printed);
    assertThat(store.logs(new LogFilter("wrapped-bytes", null, null, null, null, null, 100)))
        .extracting(StoredRecord::message).startsWith("bad \uFFFD\uFFFD bytes", "nul \uFFFD here", "done é");
  }

  @Test
  void overHttpATokenGoesAsTheBearerAndTheKeyAsApikey() throws IOException {
    assertThat(callsOverHttp("--token", "worker-token"))
        .allSatisfy(call -> assertThat(call).startsWith("project-key | Bearer worker-token | "));
  }

  @Test
  void overHttpATokenFileIsReadForTheBearer() throws IOException {
    Path tokenFile = Files.writeString(folder.resolve("token"), "token-from-file\n");
    assertThat(callsOverHttp("--token-file", tokenFile.toString()))
        .allSatisfy(call -> assertThat(call).startsWith("project-key | Bearer token-from-file | "));

    Cli.Result both = Cli.run("run", "--worker", "gpu-7", "--url", "http://127.0.0.1:9", "--key", "k", "--token", "t",
        "--token-file", tokenFile.toString(), "--home", folder.resolve("home").toString(), "--", "true");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("give --token or --token-file, not both");
  }

  /** What a server answering as PostgREST does was sent while `run` wrapped a one-line worker, with these options. */
  private List<String> callsOverHttp(String... tokenOptions) throws IOException {
    List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/rest/v1/rpc/func_worker_heartbeat_with_logs", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      calls.add(exchange.getRequestHeaders().getFirst("apikey") + " | "
          + exchange.getRequestHeaders().getFirst("Authorization") + " | " + body);
      byte[] answer = "{\"success\": true, \"logs_inserted\": 1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
    try {
      List<String> args = new java.util.ArrayList<>(List.of("run", "--worker", "gpu-7", "--url",
          "http://127.0.0.1:" + server.getAddress().getPort(), "--key", "project-key"));
      args.addAll(List.of(tokenOptions));
      args.addAll(List.of("--interval", "200ms", "--home", folder.resolve("home").toString(), "--", "sh", "-c",
          "echo frame 1 rendered"));
      Cli.Result result = Cli.run(args.toArray(String[]::new));

      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(calls).isNotEmpty().anySatisfy(call -> assertThat(call).contains("frame 1 rendered"));
      return calls;
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aCommandThatCannotStartExitsAsAShellWouldAndIsRecorded() throws IOException {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path notExecutable = Files.writeString(folder.resolve("not-executable.sh"), "echo never\n");

    Cli.Result missing = Cli.run("run", "--worker", "wrapped-missing", "--db-url", url, "--", folder.resolve("no-such-program").toString());
    Cli.Result denied = Cli.run("run", "--worker", "wrapped-denied", "--db-url", url, "--", notExecutable.toString());

    assertThat(missing.exitCode()).isEqualTo(127);
    assertThat(missing.err()).contains("heartlog: cannot start " + folder.resolve("no-such-program"));
    assertThat(denied.exitCode()).isEqualTo(126);
    // Said with what to do, where the JDK said "error=13, Permission denied" for each of these,
    // and "No such file or directory" for a script that is there but whose interpreter is not.
    assertThat(denied.err()).contains("heartlog: cannot start " + notExecutable + ": it is not executable: chmod +x "
        + notExecutable + ", or give its interpreter first (python3 " + notExecutable + ", sh " + notExecutable + ")");
    Path oldPython = Files.writeString(folder.resolve("old-python.py"), "#!/usr/bin/python2.4 -u\nprint(1)\n");
    assertThat(oldPython.toFile().setExecutable(true)).isTrue();
    Cli.Result noInterpreter = Cli.run("run", "--worker", "wrapped-denied", "--db-url", url, "--", oldPython.toString());
    assertThat(noInterpreter.exitCode()).isEqualTo(127);
    assertThat(noInterpreter.err()).contains("heartlog: cannot start " + oldPython + ": its #! line names /usr/bin/python2.4, "
        + "which this machine lacks");
    Cli.Result aFolder = Cli.run("run", "--worker", "wrapped-denied", "--db-url", url, "--", folder.toString());
    assertThat(aFolder.err()).contains("heartlog: cannot start " + folder + ": it is a folder, not a program");
    assertThat(store.logs(new LogFilter("wrapped-missing", null, null, null, null, null, 10)))
        .singleElement().satisfies(r -> {
          assertThat(r.level()).isEqualTo("CRITICAL");
          assertThat(r.message()).startsWith("heartlog run could not start");
          assertThat(r.metadataJson()).contains("\"logger\": \"heartlog.run\"");
        });
  }

  @Test
  void theCrashsRecordCarriesTheLastTracebackOnlyFromTheTaskItDiesIn() {
    WorkerExit.LastException last = new WorkerExit.LastException("t-1", "Traceback (most recent call last):\nKeyError: 'x'",
        System.nanoTime());

    assertThat(WorkerExit.metadata(1, List.of("python3", "w.py"), last, "t-1", "Killed"))
        .containsEntry("exception", last.exception()).containsEntry("exit_code", 1)
        .containsEntry("command", "python3 w.py").containsEntry("logger", "heartlog.run");
    assertThat(WorkerExit.metadata(1, List.of("python3", "w.py"), last, "t-2", null)).doesNotContainKey("exception");
    assertThat(WorkerExit.metadata(1, List.of("python3", "w.py"), null, null, null)).doesNotContainKey("exception");
    assertThat(WorkerExit.metadata(1, List.of("w"), new WorkerExit.LastException(null, "x", 0), null, null))
        .as("no task then, none now").containsEntry("exception", "x");
    long window = WorkerLines.LAST_WORDS_WINDOW.toNanos();
    WorkerExit.LastException justBefore = new WorkerExit.LastException(null, "y", System.nanoTime() - window / 2);
    assertThat(WorkerExit.metadata(1, List.of("w"), justBefore, "t-2", "Claimed task"))
        .as("no task, just before: read before the line on stdout that named the task").containsEntry("exception", "y");
    WorkerExit.LastException earlier = new WorkerExit.LastException(null, "y", System.nanoTime() - 2 * window);
    assertThat(WorkerExit.metadata(1, List.of("w"), earlier, "t-2", null)).as("no task, earlier").doesNotContainKey("exception");
    assertThat(WorkerExit.metadata(1, List.of("python3", "w.py"), last, "t-2", "model file is truncated"))
        .as("no traceback in this task: the last words on stderr").containsEntry("exception", "model file is truncated");
  }

  @Test
  void theLastWordsOnStderrAreThoseOfTheTaskWithinTheWindowNewestKeptWhole() {
    long second = 1_000_000_000L;
    OutputTail tail = new OutputTail(3, 20, 5 * second);
    tail.add("t-1", "an hour ago", Level.WARNING, 0);
    tail.add("t-1", "of the task before", Level.WARNING, 3_600 * second);
    tail.add("t-2", "loading", Level.WARNING, 3_601 * second);
    tail.add("t-2", "model file is truncated", Level.WARNING, 3_603 * second);

    assertThat(tail.before("t-2", 3_604 * second)).as("newest kept whole, over the 20 characters").isEqualTo("model file is truncated");
    tail.add("t-2", "exiting", Level.WARNING, 3_604 * second);
    assertThat(tail.before("t-2", 3_604 * second)).isEqualTo("exiting");
    assertThat(new OutputTail(3, 100, 5 * second)).satisfies(wide -> {
      wide.add("t-1", "of the task before", Level.WARNING, 0);
      wide.add("t-2", "loading", Level.WARNING, 1 * second);
      wide.add("t-2", "model file is truncated", Level.WARNING, 2 * second);
      wide.add("t-2", "cleaning up", Level.INFO, 2 * second);
      // Before, "loading\nmodel file is truncated\ncleaning up": the first line named the failure.
      assertThat(wide.before("t-2", 3 * second)).as("no ERROR: from the last of the most severe")
          .isEqualTo("model file is truncated\ncleaning up");
      assertThat(wide.before("t-2", 8 * second)).as("all older than the window").isNull();
      assertThat(wide.before("t-3", 3 * second)).isNull();
      wide.add(null, "read before the stdout line that named the task", Level.WARNING, 3 * second);
      assertThat(wide.before("t-2", 4 * second)).as("a line of no task is kept")
          .isEqualTo("read before the stdout line that named the task");
    });
    assertThat(new OutputTail(10, 1000, 5 * second)).satisfies(goRun -> {
      goRun.add("t-1", "claimed task t-42", Level.INFO, 0);
      goRun.add("t-1", "model file is truncated", Level.INFO, 1);
      goRun.add("t-1", "exit status 1", Level.INFO, 2);
      assertThat(goRun.before("t-1", second)).as("go run's line after log.Fatal's")
          .isEqualTo("model file is truncated\nexit status 1");
    });
  }

  /**
   * Where some of the last words are more severe than the others, they begin at the first of the
   * most severe, so that the exit's record is named by why it failed, not by the line of INFO
   * that came first.
   */
  @Test
  void theLastWordsBeginAtTheFirstOfTheMostSevere() {
    long second = 1_000_000_000L;
    OutputTail tail = new OutputTail(10, 1000, 5 * second);
    tail.add("t-1", "loading model", Level.INFO, 0);
    tail.add("t-1", "no CUDA device found", Level.ERROR, 1);
    tail.add("t-1", "giving up", Level.ERROR, 2);
    tail.add("t-1", "cleaning up", Level.INFO, 3);

    assertThat(tail.before("t-1", second)).isEqualTo("no CUDA device found\ngiving up\ncleaning up");
    tail.add("t-1", "CUDA device 0 not found", Level.CRITICAL, 4);
    assertThat(tail.before("t-1", second)).isEqualTo("CUDA device 0 not found");
    assertThat(tail.since(3, second)).as("read as the task began").isEqualTo("CUDA device 0 not found");
  }

  /**
   * A Python worker logging to stderr (logging.basicConfig) that logs why and exits: the exit's
   * record carries that line and what came after it, and the task list names the failure by it.
   * Before, by the worker's first line of INFO in the last 5 s.
   */
  @Test
  void aPythonWorkerThatLogsWhyAndExitsIsNamedByWhyNotByItsLinesBefore() throws IOException {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path worker = Files.writeString(folder.resolve("no_gpu.py"), String.join("\n",
        "import logging, sys",
        "logging.basicConfig(level=logging.INFO)",
        "print('[10:00:00] INFO GENERATOR [Task t-no-gpu] Claimed task', flush=True)",
        "logging.info('loading model wan2.1')",
        "logging.info('checking the GPU')",
        "logging.error('no CUDA device found')",
        "sys.exit(1)", ""));

    Cli.Result result = Cli.run("run", "--worker", "logs-why", "--db-url", url,
        "--home", folder.resolve("home").toString(), "--", "python3", worker.toString());

    assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
    assertThat(exitRecord(store, "logs-why").exception()).isEqualTo("no CUDA device found");
    assertThat(store.tasks(new dev.heartlog.store.TaskFilter("logs-why", java.time.Instant.now().minusSeconds(600), null, false, 10)))
        .singleElement().satisfies(task -> {
          assertThat(task.failure()).isEqualTo("the worker process exited with code 1");
          assertThat(task.failureException()).isEqualTo("no CUDA device found");
        });
  }

  /**
   * A Python worker that exits with a reason between two warnings, a library's at import and one
   * at its exit (an atexit handler's, printed after the reason): the reason names the failure.
   * Before, the first warning did, being as severe as the reason's line of no level; with the
   * last words read from the last of the most severe, the warning at the exit would.
   */
  @Test
  void aWarningPrintedBeforeOrAfterAWorkerExitsWithAReasonDoesNotNameItsFailure() throws IOException {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path worker = Files.writeString(folder.resolve("truncated.py"), String.join("\n",
        "import atexit, sys, warnings",
        "print('[10:00:00] INFO GENERATOR [Task t-truncated] Claimed task', flush=True)",
        "warnings.warn('TypedStorage is deprecated', UserWarning)",
        "atexit.register(lambda: warnings.warn('CUDA context not released', UserWarning))",
        "sys.exit('model file is truncated')", ""));

    Cli.Result result = Cli.run("run", "--worker", "warned-first", "--db-url", url,
        "--home", folder.resolve("home").toString(), "--", "python3", worker.toString());

    assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
    assertThat(exitRecord(store, "warned-first").exception()).startsWith("model file is truncated\n")
        .endsWith("UserWarning: CUDA context not released");
    assertThat(stderrRecords(store, "warned-first")).extracting(StoredRecord::level, StoredRecord::message)
        .as("the warnings stay records of their own").contains(
            tuple("WARNING", worker + ":3: UserWarning: TypedStorage is deprecated"),
            tuple("WARNING", worker + ":4: UserWarning: CUDA context not released"));
  }

  @Test
  void aWorkerThatExitsWithAnErrorButNoTracebackHasItsLastWordsInTheExitsRecord() throws IOException {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path worker = script("worker.sh",
        "echo '[10:00:00] INFO GENERATOR [Task t-exit] Loading model wan2.1'",
        "echo 'model file /models/wan2.1.safetensors is truncated (1.2 of 14 GB)    ' >&2",
        "exit 3");

    Cli.Result result = Cli.run("run", "--worker", "last-words", "--db-url", url,
        "--home", folder.resolve("home").toString(), "--", "sh", worker.toString());

    assertThat(result.exitCode()).as(result.err()).isEqualTo(3);
    assertThat(exitRecord(store, "last-words")).satisfies(exit -> {
      assertThat(exit.level()).isEqualTo("ERROR");
      assertThat(exit.exception()).isEqualTo("model file /models/wan2.1.safetensors is truncated (1.2 of 14 GB)");
    });
    assertThat(stderrRecords(store, "last-words")).extracting(StoredRecord::message)
        .as("the spaces padding its end left out").containsExactly("model file /models/wan2.1.safetensors is truncated (1.2 of 14 GB)");
  }

  @Test
  void aWorkerThatSaysNothingOnStderrHasItsLastLinesOnStdoutInTheExitsRecord() throws IOException {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    // As Blender 3.4 prints a scene it cannot read, on stdout alone, and exits 1.
    Path worker = script("worker.sh",
        "echo 'Blender 3.4.1'",
        "echo \"Error: Cannot read file '/srv/scenes/shot12.blend': No such file or directory\"",
        "echo",
        "echo 'Blender quit'",
        "exit 1");
    Path both = script("both.sh", "echo 'loading scene'", "echo 'scene is corrupt' >&2", "echo 'Blender quit'", "exit 1");

    Cli.Result result = Cli.run("run", "--worker", "last-words-out", "--db-url", url,
        "--home", folder.resolve("home").toString(), "--", "sh", worker.toString());
    Cli.Result stderrToo = Cli.run("run", "--worker", "last-words-both", "--db-url", url,
        "--home", folder.resolve("home").toString(), "--", "sh", both.toString());

    assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
    // Before, the exit's record said only its code; then it began with the banner, which named it.
    assertThat(exitRecord(store, "last-words-out").exception()).as("from the error on").isEqualTo(
        "Error: Cannot read file '/srv/scenes/shot12.blend': No such file or directory\nBlender quit");
    assertThat(stderrToo.exitCode()).as(stderrToo.err()).isEqualTo(1);
    assertThat(exitRecord(store, "last-words-both").exception()).as("stderr's lines, where it has some")
        .isEqualTo("scene is corrupt");
  }

  @Test
  void killedBySignalIsSaidSo() {
    assertThat(WorkerExit.describe(137)).isEqualTo("the worker process was killed by signal 9 (SIGKILL) (exit code 137)");
    assertThat(WorkerExit.describe(129)).isEqualTo("the worker process was killed by signal 1 (SIGHUP) (exit code 129)");
    assertThat(WorkerExit.describe(139)).as("a CUDA worker's segfault")
        .isEqualTo("the worker process was killed by signal 11 (SIGSEGV) (exit code 139)");
    assertThat(WorkerExit.describe(143)).isEqualTo("the worker process was killed by signal 15 (SIGTERM) (exit code 143)");
    assertThat(WorkerExit.describe(162)).isEqualTo("the worker process exited with code 162");
    assertThat(WorkerExit.describe(150)).isEqualTo("the worker process was killed by signal 22 (exit code 150)");
    assertThat(WorkerExit.describe(3)).isEqualTo("the worker process exited with code 3");
  }
}
