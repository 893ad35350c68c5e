package dev.heartlog.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * heartlog run's stop: on SIGTERM or SIGINT to heartlog run (its shutdown hook), pass the signal
 * on to the worker, give it a grace to exit, kill what is left, and wait until heartlog run has
 * sent the final heartbeat.
 *
 * <p>A launcher between heartlog run and the real worker ({@code sh -c}, a start script) exits on
 * the signal without passing it on, and would leave the worker running, orphaned. So the
 * processes it started that outlive it get the signal too. Only then: a worker that stops its
 * own children (a pool, data loader processes) is left to do it.
 *
 * <p>The stop is in place before the worker starts ({@link #start}): a stop that comes first
 * means the worker is not started, and one that comes after always finds it.
 */
final class WorkerStop {

  /** How often the records are shipped while the worker stops. */
  static final Duration SHIPPING_PERIOD = Duration.ofSeconds(1);

  private final Duration grace;
  private final Duration finishing;
  /** The signal every stop sends ({@code --stop-signal}); null: the one heartlog run got. */
  private final String stopSignal;
  private final CountDownLatch finished = new CountDownLatch(1);
  /** The worker once started; guarded by {@code this}, as {@link #stopping} is. */
  private Process worker;
  private boolean stopping;
  private volatile Runnable shipRecords = () -> { };
  private volatile boolean requested;
  private volatile String signal = "TERM";
  private volatile boolean workerHasIt;

  /**
   * @param grace how long the worker and what it started have to exit before they are killed
   * @param finishing how long the stop then waits for {@link #finished()}
   * @param stopSignal the signal the worker is stopped with ({@code INT}) whichever heartlog run
   *     got; null: the one it got
   */
  WorkerStop(Duration grace, Duration finishing, String stopSignal) {
    this.grace = grace;
    this.finishing = finishing;
    this.stopSignal = stopSignal;
  }

  /**
   * Starts the worker, unless heartlog run was asked to stop before.
   *
   * @param shipRecords sends what the worker has logged so far, waiting at most about {@link
   *     #SHIPPING_PERIOD}: run when the stop is passed on and then every period until the worker
   *     has exited. A container's stop ({@code docker stop}) kills heartlog run too, after its
   *     own timeout: what was shipped by then is not lost with it.
   * @return the worker, or null when the stop came first and it was not started
   */
  synchronized Process start(ProcessBuilder process, Runnable shipRecords) throws IOException {
    if (stopping) {
      return null;
    }
    this.shipRecords = shipRecords;
    worker = process.start();
    return worker;
  }

  /**
   * The stop is by this signal ({@code INT}; SIGTERM unless said): the worker is sent it, unless
   * it has it already (a Ctrl-C in the terminal they share), as {@code fromTheTerminal} says of
   * the worker when it has started. Comes before {@link #stop()}, which the JVM's shutdown runs.
   */
  synchronized void stopWith(String signal, Predicate<ProcessHandle> fromTheTerminal) {
    stopping = true;
    this.signal = signal;
    boolean hasIt = worker != null && fromTheTerminal.test(worker.toHandle());
    this.workerHasIt = hasIt && (stopSignal == null || stopSignal.equals(signal));
  }

  /** The worker, once {@link #start started}; null before. */
  synchronized ProcessHandle worker() {
    return worker == null ? null : worker.toHandle();
  }

  /** The signal heartlog run was stopped with ({@code INT}), {@code TERM} when none was said. */
  String receivedSignal() {
    return signal;
  }

  /** The signal the worker is sent to stop it, {@code TERM} when no signal was. */
  String sentSignal() {
    return stopSignal != null ? stopSignal : signal;
  }

  /** Whether heartlog run was asked to stop and passed it on. */
  boolean requested() {
    return requested;
  }

  /** heartlog run has recorded the exit and sent the final heartbeat: the stop may end. */
  void finished() {
    finished.countDown();
  }

  /**
   * Passes the stop on and waits as described above. Where no worker runs (it has not started,
   * and will not now, or it has exited) it waits only for heartlog run to record that and send
   * the final heartbeat.
   */
  void stop() {
    Process running;
    synchronized (this) {
      stopping = true;
      running = worker;
    }
    try {
      if (running != null && running.isAlive()) {
        stopRunning(running);
      }
      finished.await(finishing.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void stopRunning(Process running) throws InterruptedException {
    requested = true;
    // Taken before the launcher exits: after that, its children are no longer its descendants.
    List<ProcessHandle> started = running.toHandle().descendants().toList();
    passOn(running.toHandle());
    long deadline = System.nanoTime() + grace.toNanos();
    shipRecords.run();
    while (!running.waitFor(Math.min(SHIPPING_PERIOD.toNanos(), deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
      if (System.nanoTime() - deadline >= 0) {
        running.toHandle().destroyForcibly();
        break;
      }
      shipRecords.run();
    }
    List<ProcessHandle> orphans = started.stream().filter(ProcessHandle::isAlive).toList();
    orphans.forEach(this::passOn);
    for (ProcessHandle orphan : orphans) {
      try {
        orphan.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException stillRunning) {
        orphan.destroyForcibly();
      }
    }
  }

  private void passOn(ProcessHandle process) {
    if (workerHasIt) {
      return;
    }
    // SIGTERM through the process handle: Process.destroy() would also close the pipes, and the
    // worker's last lines (its own shutdown messages) would be lost. Where no other signal can be
    // sent, SIGTERM still stops it.
    String sent = sentSignal();
    if (sent.equals("TERM") || !WorkerSignals.send(process, sent)) {
      process.destroy();
    }
  }
}
