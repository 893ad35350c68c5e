package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The stop of heartlog run as its shutdown hook runs it, on a thread of its own, whenever the
 * signal comes: before the worker starts, while it runs, after it has exited.
 */
@Timeout(60)
class WorkerStopTest {

  private static final Duration GRACE = Duration.ofSeconds(10);
  private static final Duration FINISHING = Duration.ofSeconds(30);

  private final List<Process> started = new ArrayList<>();
  private final AtomicBoolean heartbeatSent = new AtomicBoolean();
  private Thread hook;

  @AfterEach
  void endWhatWasStarted() {
    started.forEach(Process::destroyForcibly);
  }

  @Test
  void aStopBeforeTheWorkerStartsMeansItIsNotStartedAndWaitsForTheFinalHeartbeat() throws Exception {
    WorkerStop stop = new WorkerStop(GRACE, FINISHING, null);
    CompletableFuture<Boolean> stopped = stopping(stop);
    await().atMost(Duration.ofSeconds(10)).until(() -> hook.getState() == Thread.State.TIMED_WAITING);

    Process worker = stop.start(new ProcessBuilder("sleep", "30"), () -> { });

    assertThat(worker).as("the worker a stop came before").isNull();
    finalHeartbeat(stop);   // what heartlog run does then: record it and send the final heartbeat
    assertThat(stopped.get(10, TimeUnit.SECONDS)).as("the stop waited for the final heartbeat").isTrue();
  }

  @Test
  void aStopAfterTheWorkerExitedStillWaitsForTheFinalHeartbeat() throws Exception {
    WorkerStop stop = new WorkerStop(GRACE, FINISHING, null);
    Process worker = started(stop.start(new ProcessBuilder("true"), () -> { }));
    assertThat(worker.waitFor(10, TimeUnit.SECONDS)).isTrue();

    // A Ctrl-C while heartlog run sends the final heartbeat: the JVM's exit must wait for it.
    CompletableFuture<Boolean> stopped = stopping(stop);
    await().atMost(Duration.ofSeconds(10)).until(() -> hook.getState() == Thread.State.TIMED_WAITING);

    finalHeartbeat(stop);
    assertThat(stopped.get(10, TimeUnit.SECONDS)).as("the stop waited for the final heartbeat").isTrue();
    assertThat(stop.requested()).as("nothing was passed on to a worker that had exited").isFalse();
  }

  @Test
  void aStopWhileTheWorkerRunsIsPassedOnToIt() throws Exception {
    WorkerStop stop = new WorkerStop(GRACE, FINISHING, null);
    Process worker = started(stop.start(new ProcessBuilder("sleep", "30"), () -> { }));

    CompletableFuture<Boolean> stopped = stopping(stop);

    assertThat(worker.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(worker.exitValue()).as("ended by the SIGTERM passed on").isEqualTo(128 + 15);
    assertThat(stop.requested()).isTrue();
    finalHeartbeat(stop);
    assertThat(stopped.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aCtrlCTheWorkerHadFromTheTerminalIsNotSentAgain() throws Exception {
    WorkerStop stop = new WorkerStop(Duration.ofSeconds(1), FINISHING, null);
    Process worker = started(stop.start(new ProcessBuilder("sleep", "30"), () -> { }));

    stop.stopWith("INT", handle -> handle.pid() == worker.pid());
    CompletableFuture<Boolean> stopped = stopping(stop);

    assertThat(worker.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(worker.exitValue()).as("killed once its grace was over, not sent SIGINT (130) a second time")
        .isEqualTo(128 + 9);
    assertThat(stop.receivedSignal()).isEqualTo("INT");
    finalHeartbeat(stop);
    assertThat(stopped.get(10, TimeUnit.SECONDS)).isTrue();
  }

  /**
   * Runs the stop as the shutdown hook would, on {@link #hook}.
   *
   * @return completed when the stop returns: whether the final heartbeat had been sent by then
   */
  private CompletableFuture<Boolean> stopping(WorkerStop stop) {
    CompletableFuture<Boolean> stopped = new CompletableFuture<>();
    hook = new Thread(() -> {
      stop.stop();
      stopped.complete(heartbeatSent.get());
    }, "stop-hook");
    hook.start();
    return stopped;
  }

  private void finalHeartbeat(WorkerStop stop) {
    heartbeatSent.set(true);
    stop.finished();
  }

  private Process started(Process process) {
    assertThat(process).isNotNull();
    started.add(process);
    return process;
  }
}
