package dev.heartlog.agent;

import java.util.ArrayDeque;

/**
 * The heartbeat calls a {@link HeartbeatScheduler} lets wait on the store at once: one fewer than
 * its threads, so that a thread is always free for the rounds that cut records into the spools.
 * When every thread waited in a call (a locked table, a network dropping packets), no agent on
 * the scheduler cut anything, and a burst overflowed memory though the spools had room.
 *
 * <p>A round that finds every slot taken puts its agent in line and returns without calling.
 * When a call ends its slot passes to the first in line, whose round is woken to make its call:
 * heartbeats go out in the order they fell due, as many at once as before less one.
 */
final class CallSlots {

  /** An agent's place in the line. */
  static final class Ticket {
    private final Runnable wake;
    // Guarded by the slots' lock.
    private boolean inLine;
    private boolean granted;

    /** {@code wake} runs a round of the agent soon; it is called when a slot was kept for it. */
    Ticket(Runnable wake) {
      this.wake = wake;
    }
  }

  private final Object lock = new Object();
  // Guarded by lock. Invariant: while a slot is free, the line is empty.
  private final ArrayDeque<Ticket> line = new ArrayDeque<>();
  private int free;

  CallSlots(int slots) {
    if (slots <= 0) {
      throw new IllegalArgumentException("at least one call must be allowed");
    }
    this.free = slots;
  }

  /** The slots for a scheduler of this many threads: one fewer, but at least one. */
  static CallSlots forThreads(int threads) {
    return new CallSlots(Math.max(1, threads - 1));
  }

  /**
   * Takes a slot for one call: the one kept for this ticket, or a free one. Otherwise puts the
   * ticket in line (once) and returns {@code false}; its wake runs when a slot is kept for it.
   */
  boolean tryTake(Ticket ticket) {
    synchronized (lock) {
      if (ticket.granted) {
        ticket.granted = false;
        return true;
      }
      if (free > 0) {
        free--;
        return true;
      }
      if (!ticket.inLine) {
        ticket.inLine = true;
        line.addLast(ticket);
      }
      return false;
    }
  }

  /** Gives back a slot taken by {@link #tryTake}: it is kept for the first in line, if any. */
  void release() {
    Ticket next;
    synchronized (lock) {
      next = line.pollFirst();
      if (next == null) {
        free++;
        return;
      }
      next.inLine = false;
      next.granted = true;
    }
    next.wake.run();
  }

  /** Takes the ticket out of the line for good (its agent is closing) and passes on a slot kept for it. */
  void leave(Ticket ticket) {
    boolean hadSlot;
    synchronized (lock) {
      if (ticket.inLine) {
        line.remove(ticket);
        ticket.inLine = false;
      }
      hadSlot = ticket.granted;
      ticket.granted = false;
    }
    if (hadSlot) {
      release();
    }
  }

  /** Agents waiting in line for a call. */
  int waiting() {
    synchronized (lock) {
      return line.size();
    }
  }
}
