package dev.heartlog.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * What other threads ask of a {@link HeartbeatLoop}: a round now, a flush, the close; and the
 * wait for the rounds' progress. The loop takes the requests between rounds. A loop on its own
 * thread waits for them in {@link #awaitRequest}; one run by a {@link HeartbeatScheduler} is
 * scheduled by the waker it set.
 */
final class LoopRequests {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final Condition progress = lock.newCondition();
  // Guarded by lock.
  private boolean beatRequested;
  private boolean flushRequested;
  private final List<BooleanSupplier> flushesWaiting = new ArrayList<>();
  private boolean closing;
  private WorkerStatus finalStatus = WorkerStatus.STOPPED;
  private volatile Runnable waker = () -> {};

  /** Called after every request for a round. */
  void onWakeRequest(Runnable waker) {
    this.waker = waker;
  }

  /** Asks for a round now (the buffer reached its flush threshold, or a flush was asked). */
  void requestBeat() {
    lock.lock();
    try {
      beatRequested = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
    waker.run();
  }

  /** Asks the loop to send its final heartbeats, reporting {@code status}, and end. */
  void close(WorkerStatus status) {
    lock.lock();
    try {
      closing = true;
      finalStatus = status;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
    waker.run();
  }

  /**
   * Asks for flushing rounds, one after another, until {@code done} says so.
   *
   * @return {@code false} when the timeout passed first
   */
  boolean flushUntil(BooleanSupplier done, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    flushesWaiting.add(done);
    try {
      while (!done.getAsBoolean()) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return false;
        }
        flushRequested = true;
        beatRequested = true;
        wake.signalAll();
        waker.run();
        progress.awaitNanos(remaining);
      }
      return true;
    } finally {
      flushesWaiting.remove(done);
      lock.unlock();
    }
  }

  // The loop's side.

  /** Whether a flush was asked since the last call: everything buffered is cut at once. */
  boolean takeFlushRequest() {
    lock.lock();
    try {
      boolean requested = flushRequested;
      flushRequested = false;
      return requested;
    } finally {
      lock.unlock();
    }
  }

  /** Whether a flush was asked and not yet taken. */
  boolean hasFlushRequest() {
    lock.lock();
    try {
      return flushRequested;
    } finally {
      lock.unlock();
    }
  }

  /** Whether a round was asked since the last call, or the loop is closing. */
  boolean takeBeatRequest() {
    lock.lock();
    try {
      boolean requested = closing || beatRequested;
      beatRequested = false;
      return requested;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until {@code deadlineNanos} ({@link System#nanoTime}), a round is asked for, or the loop
   * is closed. An interrupt closes the loop.
   */
  void awaitRequest(long deadlineNanos) {
    lock.lock();
    try {
      while (!closing && !beatRequested) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
          break;
        }
        wake.awaitNanos(remaining);
      }
      beatRequested = false;
    } catch (InterruptedException e) {
      closing = true;
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  boolean isClosing() {
    lock.lock();
    try {
      return closing;
    } finally {
      lock.unlock();
    }
  }

  /** The status the final heartbeats report: what {@link #close} was given. */
  WorkerStatus finalStatus() {
    lock.lock();
    try {
      return finalStatus;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Wakes those in {@link #flushUntil}: a round ended. A round already under way when a flush
   * was asked may have settled it; then the flush is not asked for any more. Before, the loop
   * took it next and at once sent what the worker had logged after the flush, in a heartbeat of
   * its own (once, in CI, splitting a flood's count in two).
   */
  void signalProgress() {
    lock.lock();
    try {
      if (flushRequested && !flushesWaiting.isEmpty()
          && flushesWaiting.stream().allMatch(BooleanSupplier::getAsBoolean)) {
        flushRequested = false;
      }
      progress.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
