package dev.heartlog.cli;

import java.util.OptionalLong;

/**
 * The wrapped worker's last changes of task, each at the time heartlog run read the line that
 * made it, so that a line is given the task that was current when it was read, not when it was
 * parsed. stdout and stderr are read and parsed on threads of their own: a Python worker that
 * logged a task's failure on stderr 1-2 ms before it printed the next task's start on stdout had
 * 11 of 400 failures filed under the next task, which then read as failed and the failed one as
 * done, and 1 of 560 since (BENCHMARKS.md §7, "A failure on stderr and the next task on stdout").
 *
 * <p>Not thread-safe: {@link LineTasks} calls it under its lock.
 */
final class TaskChanges {

  /**
   * Changes kept: a line is parsed a few milliseconds after its read at most, unless its thread
   * is held up, and a worker changes task far less often.
   */
  static final int KEPT = 64;

  /** When each change's line was read ({@link System#nanoTime()}), oldest first from {@link #oldest}. */
  private final long[] readNanos = new long[KEPT];
  /** The task before each change, null for none. */
  private final String[] before = new String[KEPT];
  private int oldest;
  private int count;

  /** Notes that the line read at {@code readNanos} changed the task from {@code previous}. */
  void changed(long readNanos, String previous) {
    int slot = (oldest + count) % KEPT;
    if (count == KEPT) {
      oldest = (oldest + 1) % KEPT;
    } else {
      count++;
    }
    this.readNanos[slot] = readNanos;
    before[slot] = previous;
  }

  /**
   * Whether a line read at {@code readNanos} was read before a change already made: the other
   * stream's line that made it was read later, but parsed first.
   */
  boolean madeSince(long readNanos) {
    return count > 0 && this.readNanos[(oldest + count - 1) % KEPT] - readNanos > 0;
  }

  /** When the line of the last change was read ({@link System#nanoTime()}); empty where there was none. */
  OptionalLong lastReadNanos() {
    return count == 0 ? OptionalLong.empty() : OptionalLong.of(readNanos[(oldest + count - 1) % KEPT]);
  }

  /**
   * The task that was current when a line was read at {@code readNanos}, given the one current
   * now: the task before the earliest change read after it. A line read before the oldest change
   * kept gets the task before that change.
   */
  String at(long readNanos, String current) {
    String task = current;
    for (int i = count - 1; i >= 0; i--) {
      int slot = (oldest + i) % KEPT;
      if (this.readNanos[slot] - readNanos <= 0) {
        break;
      }
      task = before[slot];
    }
    return task;
  }
}
