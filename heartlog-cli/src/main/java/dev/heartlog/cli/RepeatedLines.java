package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RepeatCount;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * One stream's records on their way to the agent, with a flood of one record counted rather than
 * stored: a worker's retry loop that prints {@code connection refused, retrying} thousands of
 * times a second. The first {@code recordedInARow} are recorded; each further repeat that comes
 * within {@code gap} of the one before it (the same level, message, task and metadata) is counted,
 * and the count is recorded once the repeats stop, a record of their own: {@code repeated 199990
 * more times: connection refused, retrying}, at the last repeat's time, its metadata the line's
 * with {@code repeated}, the count. A flood that goes on is recorded so every {@code interval}, as a progress bar is. Before,
 * every line was a record: the flood filled the agent's memory faster than its spool took it, and
 * a part of it was dropped. A few repeats, a worker's three attempts, stay records of their own.
 *
 * <p>Records come from the stream's reading thread and from the thread that records what waited
 * for a quiet period; {@link #tick} from the latter.
 */
final class RepeatedLines implements Tracebacks.Sink {

  private final Tracebacks.Sink sink;
  private final int recordedInARow;
  private final long gapNanos;
  private final long intervalNanos;
  private final LongSupplier nanoTime;

  // Guarded by this: the record last passed on, when its repeats came, and how many are counted.
  private Level level;
  private String message;
  private String task;
  private Map<String, Object> metadata;
  private long lastNanos;
  private int inARow;
  private long repeats;
  private Instant lastRepeatAt;
  private long countingSinceNanos;

  RepeatedLines(Tracebacks.Sink sink, int recordedInARow, long gapNanos, long intervalNanos, LongSupplier nanoTime) {
    this.sink = sink;
    this.recordedInARow = recordedInARow;
    this.gapNanos = gapNanos;
    this.intervalNanos = intervalNanos;
    this.nanoTime = nanoTime;
  }

  @Override
  public synchronized void record(Instant at, Level level, String message, String task, Map<String, Object> metadata) {
    long now = nanoTime.getAsLong();
    boolean repeat = now - lastNanos <= gapNanos && repeatsLast(level, message, task, metadata);
    if (repeat && inARow < recordedInARow) {
      inARow++;
      lastNanos = now;
      sink.record(at, level, message, task, metadata);
      return;
    }
    if (repeat) {
      if (repeats == 0) {
        countingSinceNanos = now;
      }
      repeats++;
      lastRepeatAt = at;
      lastNanos = now;
      if (now - countingSinceNanos >= intervalNanos) {
        recordRepeats();
      }
      return;
    }
    recordRepeats();
    sink.record(at, level, message, task, metadata);
    this.level = level;
    this.message = message;
    this.task = task;
    this.metadata = metadata;
    lastNanos = now;
    inARow = 1;
  }

  /** Records the repeats counted, once none has come for the gap. */
  synchronized void tick(long nowNanos) {
    if (repeats > 0 && nowNanos - lastNanos > gapNanos) {
      recordRepeats();
    }
  }

  /** The stream ended: records the repeats counted. */
  synchronized void end() {
    recordRepeats();
    message = null;
  }

  private boolean repeatsLast(Level level, String message, String task, Map<String, Object> metadata) {
    return message.equals(this.message) && level == this.level && Objects.equals(task, this.task)
        && metadata.equals(this.metadata);
  }

  private void recordRepeats() {
    if (repeats == 0) {
      return;
    }
    sink.record(lastRepeatAt, level, RepeatCount.message(repeats, message), task, RepeatCount.metadata(metadata, repeats));
    repeats = 0;
  }
}
