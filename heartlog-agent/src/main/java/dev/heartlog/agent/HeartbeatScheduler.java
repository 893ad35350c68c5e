package dev.heartlog.agent;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
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
 * retries, the same final heartbeat. A round does not wait for its heartbeat call: the call runs
 * on one of the scheduler's sending threads, as many as it has round threads, while the round
 * threads go on with the other agents' rounds and with this agent's, cutting its records into
 * its spool. A call that waits on the store (a lock, a network that drops packets) therefore
 * neither holds up the other agents' rounds nor makes a burst overflow memory meanwhile. Give the
 * scheduler about as many threads as calls should be in flight at once (and a transport that
 * does not hold one connection per agent, such as a JDBC transport over a pool).
 */
public final class HeartbeatScheduler implements AutoCloseable {

  private static final AtomicInteger POOLS = new AtomicInteger();

  /** How long an idle sending thread is kept. */
  private static final Duration SENDING_THREAD_KEEP_ALIVE = Duration.ofSeconds(60);

  private final ScheduledThreadPoolExecutor executor;
  /**
   * Where the rounds' calls run. A round waits for its call, so no more calls are in flight than
   * there are heartbeat threads, and as many sending threads never leave one queued.
   */
  private final ThreadPoolExecutor sending;
  private final LongConsumer heartbeatLatency;

  private HeartbeatScheduler(int threads, LongConsumer heartbeatLatency) {
    this.heartbeatLatency = heartbeatLatency;
    String prefix = "heartlog-heartbeats-" + POOLS.incrementAndGet();
    this.executor = new ScheduledThreadPoolExecutor(threads, daemons(prefix + "-"));
    executor.setRemoveOnCancelPolicy(true);
    this.sending = new ThreadPoolExecutor(threads, threads, SENDING_THREAD_KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), daemons(prefix + "-calls-"));
    sending.allowCoreThreadTimeOut(true);
  }

  private static ThreadFactory daemons(String namePrefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new HeartbeatThread(runnable, namePrefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** A scheduler with this many heartbeat threads, and as many sending threads. */
  public static HeartbeatScheduler create(int threads) {
    return create(threads, latency -> {});
  }

  /**
   * A scheduler that tells {@code heartbeatLatency}, for each heartbeat call its rounds start, how
   * many nanoseconds passed from the time the round was due until the store answered: about the
   * call's own time while the threads keep up, growing when rounds start late or calls queue for
   * a sending thread. It runs on the sending thread, for monitoring and benchmarks, and must
   * return quickly.
   */
  public static HeartbeatScheduler create(int threads, LongConsumer heartbeatLatency) {
    if (threads <= 0) {
      throw new IllegalArgumentException("a heartbeat scheduler needs at least one thread");
    }
    return new HeartbeatScheduler(
        threads, Objects.requireNonNull(heartbeatLatency, "heartbeatLatency must not be null"));
  }

  ScheduledThreadPoolExecutor executor() {
    return executor;
  }

  SendingThread sendingThreads() {
    return SendingThread.sharing(sending);
  }

  /** A call started by a round due at {@code dueAtNanos} ({@link System#nanoTime}) was answered now. */
  void answered(long dueAtNanos) {
    heartbeatLatency.accept(Math.max(0, System.nanoTime() - dueAtNanos));
  }

  /** Rounds scheduled and not yet run: about one per agent when all is well. */
  public int scheduledRounds() {
    return executor.getQueue().size();
  }

  /**
   * Stops the threads after the rounds that are running. Close the agents first: an agent whose
   * scheduler is closed can no longer send its final heartbeat.
   */
  @Override
  public void close() {
    executor.shutdownNow();
    sending.shutdownNow();
  }

  /** Waits for the threads to end after {@link #close()}. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    return executor.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS)
        && sending.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  /** The thread type of every heartbeat thread: records logged on one are not captured. */
  static final class HeartbeatThread extends Thread {
    HeartbeatThread(Runnable task, String name) {
      super(task, name);
    }
  }
}
