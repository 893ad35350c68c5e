package dev.heartlog.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The task a worker runs, and the tasks it ran shortly before with when each began, so that a
 * record made earlier than it reaches the agent is filed under the task that ran when it was made.
 * Logback's {@code AsyncAppender} hands heartlog's appender each event later, on a thread of its
 * own: by then the task that logged it may have ended and the next begun (1,887 of 2,000 records
 * of short tasks were filed under another task so, in {@code AsyncAppenderTest}).
 *
 * <p>Times are the system clock's, as logging frameworks stamp their events. The tasks of the
 * last {@link #KEPT_FOR} are kept, at most {@link #MAX_KEPT} of them.
 */
final class TaskHistory {

  static final Duration KEPT_FOR = Duration.ofMinutes(1);
  static final int MAX_KEPT = 4_096;

  /** A task (or none) and when it began. */
  private record Span(String taskId, Instant since) {}

  private final Clock clock;
  private volatile Span current = new Span(null, Instant.MIN);
  private final ArrayDeque<Span> earlier = new ArrayDeque<>();   // oldest first; guarded by this

  TaskHistory() {
    this(Clock.systemUTC());
  }

  TaskHistory(Clock clock) {
    this.clock = clock;
  }

  /** The worker runs {@code taskId} from now on; {@code null} for none. */
  synchronized void set(String taskId) {
    Instant now = clock.instant();
    earlier.addLast(current);
    while (earlier.size() > MAX_KEPT || (earlier.size() > 1 && endedBefore(earlier, now.minus(KEPT_FOR)))) {
      earlier.removeFirst();
    }
    current = new Span(taskId, now);
  }

  /** Whether the oldest kept span ended (the next began) before {@code time}. */
  private static boolean endedBefore(ArrayDeque<Span> spans, Instant time) {
    Iterator<Span> oldest = spans.iterator();
    oldest.next();
    return oldest.next().since().isBefore(time);
  }

  String current() {
    return current.taskId();
  }

  /**
   * The task that ran at {@code time}: the current one unless it began after {@code time}; else
   * the one kept that ran then, or {@code null} when none was kept from so long ago.
   */
  String at(Instant time) {
    Span now = current;
    if (time == null || !time.isBefore(now.since())) {
      return now.taskId();
    }
    synchronized (this) {
      if (!time.isBefore(current.since())) {
        return current.taskId();
      }
      Iterator<Span> newestFirst = earlier.descendingIterator();
      while (newestFirst.hasNext()) {
        Span span = newestFirst.next();
        if (!time.isBefore(span.since())) {
          return span.taskId();
        }
      }
      return null;
    }
  }
}
