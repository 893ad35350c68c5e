package dev.heartlog.server;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Turns at being sent what one missed, for the followers that come back: one follower at a time,
 * in the order they asked, each by its own sending thread. A follower whose sending stalls (a
 * browser that stopped reading: its write blocks until it is ended or times out) loses its turn
 * to the next once it has sent nothing for the stall's length, and waits for another turn when it
 * goes on; one that stopped reading must not keep the others from what they missed. A turn lasts
 * at most a slice while others wait, then the follower waits at the back of the line: a browser
 * far away, reading 10,000 records slowly, takes its share and no more.
 */
final class SendingTurns {

  private final long stallNanos;
  private final long sliceNanos;
  /** The threads waiting for a turn, first come first. */
  private final ArrayDeque<Thread> line = new ArrayDeque<>();   // guarded by this
  private Thread holder;   // guarded by this
  private long lastSent;   // guarded by this
  private long turnStarted;   // guarded by this

  /**
   * @param stallMillis how long a follower may send nothing before it loses its turn
   * @param sliceMillis how long a turn lasts while others wait
   */
  SendingTurns(long stallMillis, long sliceMillis) {
    this.stallNanos = TimeUnit.MILLISECONDS.toNanos(stallMillis);
    this.sliceNanos = TimeUnit.MILLISECONDS.toNanos(sliceMillis);
  }

  /**
   * Waits for the calling thread's turn.
   *
   * @throws InterruptedException when the follower goes while it waits; it leaves the line
   */
  synchronized void await() throws InterruptedException {
    Thread self = Thread.currentThread();
    line.add(self);
    try {
      while (line.peek() != self || !free()) {
        if (line.peek() == self) {
          wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(stallNanos - (System.nanoTime() - lastSent))));
        } else {
          wait();
        }
      }
    } catch (InterruptedException gone) {
      line.remove(self);
      notifyAll();   // it may have been first in line
      throw gone;
    }
    line.poll();
    holder = self;
    lastSent = System.nanoTime();
    turnStarted = lastSent;
    notifyAll();   // the next in line now watches this turn
  }

  /**
   * Says the calling thread sent a record: whether it still has its turn. Without it (it had
   * stalled, or its slice is over and others wait), it waits for another before it sends more.
   */
  synchronized boolean sent() {
    if (holder != Thread.currentThread()) {
      return false;
    }
    lastSent = System.nanoTime();
    if (!line.isEmpty() && lastSent - turnStarted >= sliceNanos) {
      holder = null;
      notifyAll();
      return false;
    }
    return true;
  }

  /** Ends the calling thread's turn, if it still has it. */
  synchronized void end() {
    if (holder == Thread.currentThread()) {
      holder = null;
      notifyAll();
    }
  }

  private boolean free() {
    return holder == null || System.nanoTime() - lastSent >= stallNanos;
  }
}
