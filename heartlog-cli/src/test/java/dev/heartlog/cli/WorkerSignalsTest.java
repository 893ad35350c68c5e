package dev.heartlog.cli;

import static dev.heartlog.cli.WrappedWorkers.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestJvm;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signals heartlog run gets reach a real Python worker as they would without heartlog run in
 * between: SIGINT as SIGINT (a {@code KeyboardInterrupt} the worker cleans up on, where SIGTERM
 * kills Python outright), a terminal's Ctrl-C once, and SIGHUP, SIGUSR1 and SIGUSR2 without
 * heartlog run ending.
 */
@Timeout(90)
class WorkerSignalsTest {

  private static final Path PYTHON = Path.of("/usr/bin/python3");

  /** Cleans up on the first SIGINT, and says so if a second one interrupts the cleanup. */
  private static final String REQUEUES_ON_CTRL_C = String.join("\n",
      "import pathlib, sys, time",
      "print('worker started', flush=True)",
      "try:",
      "    pathlib.Path(sys.argv[1]).touch()",   // the file is there before touch() returns
      "    while True:",
      "        time.sleep(0.1)",
      "except KeyboardInterrupt:",
      "    print('asked to stop: putting task 42 back in the queue', flush=True)",
      "    try:",
      "        time.sleep(1)",
      "    except KeyboardInterrupt:",
      "        print('interrupted twice, task 42 lost', flush=True)",
      "        raise",
      "    print('task 42 requeued', flush=True)",
      "");

  /** Says which of SIGHUP and SIGUSR1 it got; SIGUSR2, which it leaves alone, ends it. */
  private static final String RELOADS_ON_HUP = String.join("\n",
      "import pathlib, signal, sys, time",
      "def said(number, frame):",
      "    print('got ' + signal.Signals(number).name, flush=True)",
      "signal.signal(signal.SIGHUP, said)",
      "signal.signal(signal.SIGUSR1, said)",
      "pathlib.Path(sys.argv[1]).touch()",
      "while True:",
      "    time.sleep(0.1)",
      "");

  @TempDir Path folder;
  private final String url = dev.heartlog.store.TestDatabase.migratedUrl();
  private final Store store = Store.open(url, null, null);

  /** What a test started, ended after it whatever happened: a failed wait leaves none running. */
  private final List<Process> started = new ArrayList<>();

  @BeforeEach
  void needsPython() {
    assumeTrue(Files.isExecutable(PYTHON), "python3 is needed");
  }

  @AfterEach
  void endWhatWasStarted() {
    for (Process process : started) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  @Test
  void sigintReachesTheWorkerAsSigintAndItCleansUp() throws Exception {
    Process run = start(heartlogRun("sigint", REQUEUES_ON_CTRL_C));
    awaitReady();

    signal(run, "INT");   // docker stop, for an image whose STOPSIGNAL is SIGINT

    assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(messages("sigint")).contains("asked to stop: putting task 42 back in the queue", "task 42 requeued")
        .doesNotContain("interrupted twice, task 42 lost");
    assertThat(health("sigint")).isEqualTo("stopped");
    assertThat(run.exitValue()).as("the worker's exit code, not the signal's 130").isZero();
  }

  @Test
  void theKeyboardInterruptOfAWorkerThatDoesNotHandleSigintIsTheStopNotAnError() throws Exception {
    Process run = start(heartlogRun("interrupted", String.join("\n",
        "import pathlib, sys, time",
        "print('[12:00:00] INFO WORKER [Task t-42] rendering', flush=True)",
        "pathlib.Path(sys.argv[1]).touch()",
        "while True:",
        "    time.sleep(0.1)",
        "")));
    awaitReady();

    signal(run, "INT");

    assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
    // Before, Python's KeyboardInterrupt traceback was an ERROR, and task t-42 failed for it.
    assertThat(records(store, "interrupted")).filteredOn(r -> r.message().equals("KeyboardInterrupt")).singleElement()
        .satisfies(interrupt -> {
          assertThat(interrupt.level()).isEqualTo("INFO");
          assertThat(interrupt.taskId()).isEqualTo("t-42");
          assertThat(interrupt.exception()).startsWith("Traceback (most recent call last):").endsWith("KeyboardInterrupt");
        });
    assertThat(records(store, "interrupted")).extracting(StoredRecord::level).doesNotContain("ERROR", "CRITICAL");
    assertThat(health("interrupted")).isEqualTo("stopped");
  }

  @Test
  void ctrlCInATerminalReachesTheWorkerOnce() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux's script is needed for a terminal");
    // script runs heartlog run on a terminal of its own, in the terminal's foreground, as a shell
    // would; what is written to script goes to that terminal as if typed.
    String command = heartlogRun("ctrl-c", REQUEUES_ON_CTRL_C).stream().map(WorkerSignalsTest::quoted)
        .collect(Collectors.joining(" ", "exec ", ""));
    Process terminal = start(List.of("/usr/bin/script", "-qfec", command, "/dev/null"));
    awaitReady();

    OutputStream keyboard = terminal.getOutputStream();
    keyboard.write(3);   // Ctrl-C: the terminal sends SIGINT to heartlog run and the worker
    keyboard.flush();

    assertThat(terminal.waitFor(30, TimeUnit.SECONDS)).isTrue();
    keyboard.close();
    assertThat(messages("ctrl-c")).contains("asked to stop: putting task 42 back in the queue", "task 42 requeued")
        .doesNotContain("interrupted twice, task 42 lost");
    assertThat(health("ctrl-c")).isEqualTo("stopped");
    assertThat(terminal.exitValue()).as("heartlog run's, the worker's").isZero();
  }

  /** Kubernetes and docker stop send SIGTERM; a worker that cleans up on Ctrl-C is given SIGINT. */
  @Test
  void stopSignalStopsTheWorkerWithItWhicheverSignalHeartlogRunGot() throws Exception {
    List<String> command = new ArrayList<>(heartlogRun("rewritten", REQUEUES_ON_CTRL_C));
    command.add(command.indexOf("--"), "--stop-signal");
    command.add(command.indexOf("--"), "SIGINT");
    Process run = start(command);
    awaitReady();

    signal(run, "TERM");

    assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(messages("rewritten")).contains("asked to stop: putting task 42 back in the queue", "task 42 requeued");
    assertThat(health("rewritten")).isEqualTo("stopped");
    assertThat(run.exitValue()).isZero();
  }

  @Test
  void stopSignalTakesTheNamesAndNumbersOfTheSignalsAWorkerStopsOn() {
    assertThat(WorkerSignals.stopSignal("sigint")).isEqualTo("INT");
    assertThat(WorkerSignals.stopSignal(" SIGTERM ")).isEqualTo("TERM");
    assertThat(WorkerSignals.stopSignal("2")).isEqualTo("INT");
    assertThat(WorkerSignals.stopSignal("quit")).isEqualTo("QUIT");
    assertThat(Cli.run("run", "--worker", "w", "--stop-signal", "KILL", "--", "true").err())
        .startsWith("heartlog: --stop-signal must be one of TERM, INT, QUIT, HUP, USR1, USR2 (or SIGINT, 2, ...), not 'KILL'");
  }

  @Test
  void hupAndUserSignalsArePassedOnAndHeartlogRunGoesOn() throws Exception {
    Process run = start(heartlogRun("reloads", RELOADS_ON_HUP));
    awaitReady();

    signal(run, "HUP");
    await().atMost(Duration.ofSeconds(10)).until(() -> messages("reloads").contains("got SIGHUP"));
    signal(run, "USR1");
    await().atMost(Duration.ofSeconds(10)).until(() -> messages("reloads").contains("got SIGUSR1"));
    assertThat(run.isAlive()).as("heartlog run goes on after SIGHUP and SIGUSR1").isTrue();
    signal(run, "USR2");   // Python's default: the worker ends

    assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(messages("reloads")).contains(
        "heartlog run passed SIGHUP on to the worker",
        "heartlog run passed SIGUSR1 on to the worker",
        "heartlog run passed SIGUSR2 on to the worker",
        "the worker process was killed by signal 12 (SIGUSR2) (exit code 140), the signal passed on to it");
    assertThat(health("reloads")).as("ended by what it was sent, not a crash").isEqualTo("stopped");
  }

  /**
   * heartlog run in its own JVM, heartbeating every second, wrapping a Python worker that touches
   * the file {@code ready} once it handles its signals. Every signal is reset to its default for
   * it: run from a script's background job (or {@code nohup}), it would ignore SIGINT (or SIGHUP)
   * as the JVM is told to.
   */
  private List<String> heartlogRun(String workerId, String worker) throws IOException {
    Path script = Files.writeString(folder.resolve(workerId + ".py"), worker);
    List<String> command = new ArrayList<>(List.of("/usr/bin/env", "--default-signal"));
    command.addAll(TestJvm.main(Main.class, "run", "--worker", workerId, "--db-url", url, "--interval", "1s", "--",
        PYTHON.toString(), script.toString(), folder.resolve("ready").toString()));
    return command;
  }

  private Process start(List<String> command) throws IOException {
    Process process = new ProcessBuilder(command)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    started.add(process);
    return process;
  }

  private void awaitReady() {
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(folder.resolve("ready")));
  }

  private static void signal(Process process, String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(process.pid())).inheritIO().start();
    assertThat(kill.waitFor()).as("kill -s " + name).isZero();
  }

  private List<String> messages(String workerId) {
    return records(store, workerId).stream().map(StoredRecord::message).toList();
  }

  private String health(String workerId) {
    return store.workers(Store.DEFAULT_STALE_AFTER).stream().filter(w -> w.id().equals(workerId))
        .findFirst().orElseThrow().health();
  }

  private static String quoted(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
