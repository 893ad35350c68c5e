package dev.heartlog.agent;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * A few heartbeat threads shared by many agents in one process: a host that runs many workers,
 * or a fleet simulator. Each agent otherwise owns one thread, which at thousands of agents costs
 * more than their heartbeats do.
 *
 * <pre>{@code
 * try (HeartbeatScheduler heartbeats = HeartbeatScheduler.create(4)) {
 *   HeartlogAgent a = HeartlogAgent.builder().workerId("w-1").scheduler(heartbeats)...build();
 *   HeartlogAgent b = HeartlogAgent.builder().workerId("w-2").scheduler(heartbeats)...build();
 *   ...
 *   a.close(); b.close();  // close the agents first: their final heartbeats run here
 * }
 * }</pre>
 *
 * <p>An agent on a shared scheduler behaves as one with its own thread: the same rounds, the same
 * retries, the same final heartbeat. A round occupies a thread while its heartbeat call is in
 * flight, and the scheduler lets one fewer call than it has threads wait on the store at once, so
 * that a thread stays free to cut the records of every agent into its spool while the calls wait
 * (a heartbeat that finds every call taken waits in line, without holding a thread). Give it one
 * thread more than the calls that should be in flight at once (and a transport that does not hold
 * one connection per agent, such as a JDBC transport over a pool).
 */
public final class HeartbeatScheduler implements AutoCloseable {

  private static final AtomicInteger POOLS = new AtomicInteger();

  private final ScheduledThreadPoolExecutor executor;
  private final CallSlots calls;
  private final LongConsumer lateness;

  private HeartbeatScheduler(int threads, LongConsumer lateness) {
    this.lateness = lateness;
    this.calls = CallSlots.forThreads(threads);
    int pool = POOLS.incrementAndGet();
    AtomicInteger count = new AtomicInteger();
    ThreadFactory factory = runnable -> {
      Thread thread = new HeartbeatThread(runnable, "heartlog-heartbeats-" + pool + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
    this.executor = new ScheduledThreadPoolExecutor(threads, factory);
    executor.setRemoveOnCancelPolicy(true);
  }

  /** A scheduler with this many heartbeat threads. */
  public static HeartbeatScheduler create(int threads) {
    return create(threads, late -> {});
  }

  /**
   * A scheduler that tells {@code lateness}, on the heartbeat thread, how many nanoseconds each
   * round started after it was due: near zero while the threads keep up, growing when they do
   * not. A round whose heartbeat waited in line for a call counts from the time that heartbeat
   * fell due. For monitoring and benchmarks; it must return quickly.
   */
  public static HeartbeatScheduler create(int threads, LongConsumer lateness) {
    if (threads <= 0) {
      throw new IllegalArgumentException("a heartbeat scheduler needs at least one thread");
    }
    return new HeartbeatScheduler(threads, Objects.requireNonNull(lateness, "lateness must not be null"));
  }

  ScheduledThreadPoolExecutor executor() {
    return executor;
  }

  CallSlots calls() {
    return calls;
  }

  void roundStarted(long dueAtNanos) {
    lateness.accept(Math.max(0, System.nanoTime() - dueAtNanos));
  }

  /** Rounds scheduled and not yet run: about one per agent when all is well. */
  public int scheduledRounds() {
    return executor.getQueue().size();
  }

  /** Heartbeats due and waiting in line for a call: zero while the store keeps up. */
  public int heartbeatsWaitingForACall() {
    return calls.waiting();
  }

  /**
   * Stops the threads after the rounds that are running. Close the agents first: an agent whose
   * scheduler is closed can no longer send its final heartbeat.
   */
  @Override
  public void close() {
    executor.shutdownNow();
  }

  /** Waits for the threads to end after {@link #close()}. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return executor.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The thread type of every heartbeat thread: records logged on one are not captured. */
  static final class HeartbeatThread extends Thread {
    HeartbeatThread(Runnable task, String name) {
      super(task, name);
    }
  }
}
