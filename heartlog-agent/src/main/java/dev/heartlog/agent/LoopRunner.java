package dev.heartlog.agent;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Where an agent's {@link HeartbeatLoop} runs: a thread of its own, or a shared scheduler. */
interface LoopRunner {

  void start();

  /**
   * Waits until the loop has ended after it was closed.
   *
   * @return {@code false} when the timeout passed first, or the loop could not finish (its
   *     shared scheduler was closed before it)
   */
  boolean awaitEnd(Duration timeout) throws InterruptedException;

  boolean hasEnded();

  /** The loop on one thread of its own, which waits between rounds. */
  static LoopRunner ownThread(HeartbeatLoop loop, String name) {
    Thread thread = new HeartbeatScheduler.HeartbeatThread(loop, name);
    thread.setDaemon(true);
    return new LoopRunner() {
      @Override
      public void start() {
        thread.start();
      }

      @Override
      public boolean awaitEnd(Duration timeout) throws InterruptedException {
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
      }

      @Override
      public boolean hasEnded() {
        return !thread.isAlive();
      }
    };
  }

  /** The loop as a chain of one-round tasks on a shared scheduler. */
  static LoopRunner shared(HeartbeatLoop loop, HeartbeatScheduler scheduler) {
    return new Scheduled(loop, scheduler);
  }

  /**
   * Runs one round at a time and schedules the next when it is due. A wake request while a round
   * runs makes the next one follow at once; while it waits, moves it forward to now.
   *
   * <p>While the round waits in its heartbeat call, a wake request (the buffer reached its
   * threshold) runs a cut of the loop's records on another thread of the scheduler, which keeps
   * one free for that ({@link CallSlots}).
   *
   * <p>Each scheduled round carries the number of its scheduling, and runs only if no later one
   * replaced it: {@code cancel(false)} also "succeeds" on a task the executor has just begun to
   * run (a round that became due between the wake's look at its delay and the cancel), and that
   * round must then step aside rather than run beside its replacement.
   */
  final class Scheduled implements LoopRunner {
    private final HeartbeatLoop loop;
    private final SharedCalls calls;
    private final HeartbeatScheduler scheduler;
    private final ScheduledThreadPoolExecutor executor;
    private final CountDownLatch ended = new CountDownLatch(1);
    /** Set when the scheduler refused the next round: the loop ended without finishing. */
    private volatile boolean abandoned;
    private final Object lock = new Object();
    // Guarded by lock.
    private ScheduledFuture<?> next;
    /** The number of the latest scheduling: a round of an earlier one was replaced. */
    private long scheduling;
    private long nextDueNanos;
    /** When the heartbeat now waiting in line for a call fell due; NOT_WAITING otherwise. */
    private long waitingSinceNanos = NOT_WAITING;
    private boolean running;
    private boolean wakeRequested;
    private boolean cutPending;

    private static final long NOT_WAITING = Long.MIN_VALUE;

    Scheduled(HeartbeatLoop loop, HeartbeatScheduler scheduler) {
      this.loop = loop;
      this.scheduler = scheduler;
      this.executor = scheduler.executor();
      this.calls = loop.shareCalls(scheduler.calls(), this::wake);
      loop.onWakeRequest(this::wake);
    }

    @Override
    public void start() {
      synchronized (lock) {
        schedule(0);
      }
    }

    private void wake() {
      synchronized (lock) {
        wakeRequested = true;
        if (running && calls.isCalling()) {
          if (loop.cutsWhileWaiting()) {
            cutMeanwhile();
          }
          return; // the round sees the request once its call is answered
        }
        if (running || next == null || next.getDelay(TimeUnit.NANOSECONDS) <= 0) {
          return; // the running round, or one about to start, sees the request
        }
        if (next.cancel(false)) {
          schedule(0);
        }
      }
    }

    private void step(long ofScheduling) {
      long dueAt;
      synchronized (lock) {
        if (ofScheduling != scheduling || running) {
          return; // replaced after the executor took it: the replacement runs instead
        }
        running = true;
        wakeRequested = false;
        dueAt = waitingSinceNanos == NOT_WAITING ? nextDueNanos : waitingSinceNanos;
      }
      scheduler.roundStarted(dueAt);
      long delay = -1;
      try {
        delay = loop.step();  // never throws: a round catches its own failures
      } finally {
        // Should it throw all the same, the loop ends here as a thread of its own would.
        synchronized (lock) {
          running = false;
          if (!calls.waiting()) {
            waitingSinceNanos = NOT_WAITING;
          } else if (waitingSinceNanos == NOT_WAITING) {
            waitingSinceNanos = dueAt;
          }
          if (delay < 0) {
            next = null;
            ended.countDown();
          } else {
            schedule(wakeRequested ? 0 : delay);
          }
        }
      }
    }

    /** Call holding the lock. One cut at a time: the next wake request asks for another. */
    private void cutMeanwhile() {
      if (cutPending) {
        return;
      }
      cutPending = true;
      try {
        executor.execute(() -> {
          synchronized (lock) {
            cutPending = false;
          }
          loop.cutWhileCalling();
        });
      } catch (RejectedExecutionException schedulerClosed) {
        cutPending = false;
      }
    }

    /** Call holding the lock. */
    private void schedule(long delayNanos) {
      try {
        nextDueNanos = System.nanoTime() + delayNanos;
        long number = ++scheduling;
        next = executor.schedule(() -> step(number), delayNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException schedulerClosed) {
        next = null;
        abandoned = true;
        ended.countDown();
      }
    }

    @Override
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
      return ended.await(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS) && !abandoned;
    }

    @Override
    public boolean hasEnded() {
      return ended.getCount() == 0;
    }
  }
}
