package dev.heartlog.server;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The records queued for all of a live tail's followers together: those of new records not sent
 * yet, and those of what followers that came back missed, read and not sent yet. Past its bound
 * the tail ends the follower furthest behind ({@code overBound}), so that browsers coming back
 * together after a restart, or several that stopped reading, hold no more than the bound.
 */
final class QueuedRecords {

  private final AtomicInteger count = new AtomicInteger();
  private final int max;
  private final Runnable overBound;

  /**
   * @param max the most records queued for all followers together
   * @param overBound called, by the thread that queued, each time records are queued past {@code max}
   */
  QueuedRecords(int max, Runnable overBound) {
    this.max = max;
    this.overBound = overBound;
  }

  void added(int records) {
    if (count.addAndGet(records) > max) {
      overBound.run();
    }
  }

  void removed(int records) {
    count.addAndGet(-records);
  }

  boolean overBound() {
    return count.get() > max;
  }

  /** The records queued now. */
  int count() {
    return count.get();
  }

  int max() {
    return max;
  }
}
