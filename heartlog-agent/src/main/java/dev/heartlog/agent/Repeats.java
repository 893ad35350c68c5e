package dev.heartlog.agent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A flood of one record counted rather than kept: a worker's retry loop that logs {@code
 * connection refused, retrying} thousands of times a second. The first {@link #RECORDED_IN_A_ROW}
 * records of a row are kept; each further one that repeats the record its thread logged before it
 * (the same level, message, task and metadata) within {@link #GAP_NANOS} of it by its own
 * timestamp is counted, and
 * the count becomes one record, {@code repeated 49990 more times: connection refused, retrying},
 * at the last repeat's time, its metadata the record's with {@code repeated}, the count, and
 * without the exception (the first records carry it). It is made when the thread logs another
 * record, and
 * when the heartbeat thread takes records for a batch, so a flood that goes on is reported at
 * each heartbeat. Before, each repeat was a record: the flood filled the buffer in a fraction of
 * a second and pushed out the INFO records around it. {@code heartlog run} counts a wrapped
 * process's lines the same way ({@code RepeatedLines}).
 *
 * <p>A flood is one thread's: each thread's records make their own rows, so the floods of eight
 * render threads interleaved are each counted (one row for all, each record would have ended the
 * row of the thread before). A message given as a {@link MessagePattern} repeats one with the same
 * pattern and equal arguments (plain immutable values, so comparing them calls no worker code); a
 * text message never repeats a pattern. Not thread-safe: {@link LogBuffer} calls it under its
 * lock, where the check costs a thread-local lookup and a comparison of levels and messages for a
 * record that repeats nothing.
 */
final class Repeats {

  /** Records of a row kept before repeats are counted: a worker's three attempts stay records. */
  static final int RECORDED_IN_A_ROW = 10;
  /** A repeat further than this from the one before it starts a row of its own. */
  static final long GAP_NANOS = 1_000_000_000L;

  /** A count as the record that reports it, less its sequence number. */
  record Count(Instant timestamp, Level level, String message, String taskId, Map<String, Object> metadata) {}

  private final ThreadLocal<Row> rows = ThreadLocal.withInitial(Row::new);
  /** The rows with repeats counted and not yet recorded, in the order they began counting. */
  private final List<Row> counting = new ArrayList<>();
  /** The count of a row that the last record ended, waiting for {@link #takeEnded}. */
  private Count ended;

  /** This thread's row. */
  Row row() {
    return rows.get();
  }

  /**
   * Takes a record logged on the row's thread in: {@code true} when it repeats the row's record
   * past the first {@link #RECORDED_IN_A_ROW}, and is counted instead of kept. A record that
   * repeats nothing ends the row, whose count waits for {@link #takeEnded}; the caller then
   * starts the next with {@link Row#kept}.
   */
  boolean counts(Row row, Instant at, Level level, Object message, String task, Map<String, Object> metadata) {
    long atNanos = nanos(at);
    if (row.isRepeatedBy(atNanos, level, message, task, metadata)) {
      row.lastNanos = atNanos;
      if (row.inARow < RECORDED_IN_A_ROW) {
        row.inARow++;
        return false;
      }
      if (row.counted++ == 0) {
        counting.add(row);
      }
      return true;
    }
    if (row.counted > 0) {
      counting.remove(row);
      ended = row.takeCount();
    }
    row.last = null;
    return false;
  }

  /** The count of the row the last record ended, if it ended one, to be recorded before that record. */
  Count takeEnded() {
    Count count = ended;
    ended = null;
    return count;
  }

  /**
   * The counts of the floods going on, to record now; each row's further repeats are counted
   * again from zero.
   */
  List<Count> takeCounts() {
    if (counting.isEmpty()) {
      return List.of();
    }
    List<Count> counts = new ArrayList<>(counting.size());
    for (Row row : counting) {
      counts.add(row.takeCount());
    }
    counting.clear();
    return counts;
  }

  /** How many counts wait to be recorded. */
  int waitingCounts() {
    return counting.size() + (ended != null ? 1 : 0);
  }

  /**
   * One thread's row: the record it last logged, and how often it came again. It holds that one
   * reference and numbers: a first version that stored the record's four parts here at each call
   * made a call that repeats nothing 1.6 times slower (CallerCostBenchmark, two runs; storing a
   * new object's reference into a long-lived one costs a write barrier of the garbage collector,
   * the likely cause), this one no slower than the benchmark's noise.
   */
  static final class Row {
    private LogRecord last;
    private long lastNanos;
    private int inARow;
    private long counted;

    /** A record of this row's thread was kept: it starts the row, unless it repeated the row's record. */
    void kept(LogRecord record) {
      if (last == null) {
        last = record;
        lastNanos = nanos(record.timestamp());
        inARow = 1;
      }
    }

    private boolean isRepeatedBy(long atNanos, Level level, Object message, String task, Map<String, Object> metadata) {
      LogRecord record = last;
      return record != null
          && level == record.level()
          && sameMessage(message, record)
          && Math.abs(atNanos - lastNanos) <= GAP_NANOS
          && Objects.equals(task, record.taskId())
          && Objects.equals(metadata, record.metadata());
    }

    private Count takeCount() {
      Map<String, Object> withCount = new LinkedHashMap<>(last.metadata() != null ? last.metadata() : Map.of());
      withCount.remove("exception");
      withCount.put("repeated", counted);
      String text = "repeated " + counted + (counted == 1 ? " more time: " : " more times: ") + last.message();
      Instant at = Instant.ofEpochSecond(0, lastNanos);
      Count count = new Count(at, last.level(), RecordJson.capMessage(text), last.taskId(), withCount);
      counted = 0;
      return count;
    }
  }

  private static boolean sameMessage(Object message, LogRecord record) {
    MessagePattern previous = record.messagePattern();
    if (message instanceof MessagePattern pattern) {
      return previous != null && pattern.sameText(previous);
    }
    return previous == null && message instanceof String text && text.equals(record.message());
  }

  /** Nanoseconds since the epoch: a long holds them until 2262. */
  private static long nanos(Instant at) {
    return at.getEpochSecond() * 1_000_000_000L + at.getNano();
  }
}
