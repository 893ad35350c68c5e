package dev.heartlog.agent;

import java.util.concurrent.locks.ReentrantLock;

/**
 * How a {@link HeartbeatLoop} on a shared {@link HeartbeatScheduler} makes its heartbeat calls:
 * in turn with the other loops of the scheduler ({@link CallSlots}), and letting another of the
 * scheduler's threads cut its records into the spool while its call waits on the store. A loop
 * on a thread of its own has a {@link SendingThread} for that instead, if it has a spool.
 *
 * <p>A round holds the round lock from its start to its end, except while its call waits on the
 * store. A cut from another thread runs only in that window, so it never meets the rest of the
 * round.
 */
final class SharedCalls {

  private final CallSlots slots;
  private final CallSlots.Ticket ticket;
  private final ReentrantLock roundLock = new ReentrantLock();
  private volatile boolean calling;
  private volatile boolean waiting;

  /** {@code wake} runs a round of the loop soon; it is called when a call was kept for the loop. */
  SharedCalls(CallSlots slots, Runnable wake) {
    this.slots = slots;
    this.ticket = new CallSlots.Ticket(wake);
  }

  /** Takes the round lock for a round on the scheduler, which has not asked for a call yet. */
  void startRound() {
    roundLock.lock();
    waiting = false;
  }

  void endRound() {
    roundLock.unlock();
  }

  /** Takes a call for this round, or puts the loop in line for one and returns {@code false}. */
  boolean take() {
    waiting = !slots.tryTake(ticket);
    return !waiting;
  }

  /** Gives back the call taken by {@link #take()}: it passes to the first loop in line. */
  void release() {
    slots.release();
  }

  /** Leaves the line for good (the loop is closing), passing on a call kept for this loop. */
  void leave() {
    waiting = false;
    slots.leave(ticket);
  }

  /** Whether the last round's heartbeat is waiting in line for a call. */
  boolean waiting() {
    return waiting;
  }

  /** Whether a round's heartbeat call is waiting for the store's answer. */
  boolean isCalling() {
    return calling;
  }

  /**
   * The transport's answer to {@code heartbeat}. Call holding the round lock: it is released
   * while the call waits on the store, so that {@link #cutMeanwhile} can run meanwhile.
   */
  DeliveryResult deliver(Transport transport, Heartbeat heartbeat) {
    calling = true;
    roundLock.unlock();
    try {
      return transport.deliver(heartbeat);
    } finally {
      roundLock.lock();
      calling = false;
    }
  }

  /**
   * Runs {@code cut} while a round's call waits on the store; does nothing when a round holds the
   * loop. For another thread of the scheduler.
   */
  void cutMeanwhile(Runnable cut) {
    if (!roundLock.tryLock()) {
      return;
    }
    try {
      if (calling) {
        cut.run();
      }
    } finally {
      roundLock.unlock();
    }
  }
}
