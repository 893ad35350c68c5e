package dev.heartlog.server;

import dev.heartlog.store.StoredRecord;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one follower that came back missed, from a read of {@link MissedReads} it may share with
 * others. {@link #hold} it before sending it and
 * {@link #release} it once sent or when the follower ends: the read's records count among those
 * queued for all followers while any follower holds them. It is sent in turn with what other
 * followers missed ({@link #awaitTurn}).
 */
final class Backlog {
  static final Backlog NONE = new Backlog(List.of(), null, null);
  private static final int NEW = 0;
  private static final int HELD = 1;
  private static final int RELEASED = 2;

  private final List<StoredRecord> records;
  private final MissedReads.SharedRead read;
  private final SendingTurns sendingTurns;
  private final AtomicInteger state = new AtomicInteger(NEW);

  Backlog(List<StoredRecord> records, MissedReads.SharedRead read, SendingTurns sendingTurns) {
    this.records = records;
    this.read = read;
    this.sendingTurns = sendingTurns;
  }

  /**
   * Waits for the calling follower's turn to be sent it: one follower at a time is sent what it
   * missed. Sharing their reads, 200 followers that came back together were sent what they
   * missed all at once, 200 threads with work against the few of the workers' heartbeats, whose
   * p99 went from 170 ms to 1.1-1.7 s while they caught up (BENCHMARKS.md §8).
   *
   * @throws InterruptedException when the follower goes while it waits
   */
  void awaitTurn() throws InterruptedException {
    if (sendingTurns != null && !records.isEmpty()) {
      sendingTurns.await();
    }
  }

  /**
   * After each record sent: waits for another turn if the follower lost its own, its sending
   * stalled or its slice over.
   *
   * @throws InterruptedException when the follower goes while it waits
   */
  void sentOne() throws InterruptedException {
    if (sendingTurns != null && !sendingTurns.sent()) {
      sendingTurns.await();
    }
  }

  /** Once sent, or when the follower goes: the next follower's turn. */
  void endTurn() {
    if (sendingTurns != null) {
      sendingTurns.end();
    }
  }

  /** Its records, in id order. */
  List<StoredRecord> records() {
    return records;
  }

  /** Counts the read's records among those queued for all, if no one holds them yet; once. */
  void hold() {
    if (read != null && state.compareAndSet(NEW, HELD)) {
      read.hold();
    }
  }

  /** Takes them off the count when the last follower that held them lets go; once, and only if held. */
  void release() {
    if (read != null && state.getAndSet(RELEASED) == HELD) {
      read.release();
    }
  }

  /** The followers holding its read now, this one among them; at least 1. */
  int sharedBy() {
    return read == null ? 1 : Math.max(1, read.holders());
  }
}
