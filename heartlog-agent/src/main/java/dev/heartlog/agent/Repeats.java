package dev.heartlog.agent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A flood of one record counted rather than kept: a worker's retry loop that logs {@code
 * connection refused, retrying} thousands of times a second. The first {@link #RECORDED_IN_A_ROW}
 * records of a row are kept; each further one that repeats the record its thread logged before it
 * (the same level, message, task and metadata) within {@link #GAP_NANOS} of it by its own
 * timestamp is counted, and the count becomes one record, {@code repeated 49990 more times:
 * connection refused, retrying}, at the last repeat's time, its metadata the record's with {@code
 * repeated}, the count, and without the exception (the first records carry it). It is made when
 * the thread logs another record, and when the heartbeat thread takes records for a batch, so a
 * flood that goes on is reported at each heartbeat. Before, each repeat was a record: the flood
 * filled the buffer in a fraction of a second and pushed out the INFO records around it. {@code
 * heartlog run} counts a wrapped process's lines the same way ({@code RepeatedLines}).
 *
 * <p>A flood is one thread's: each thread's records make their own rows, so the floods of eight
 * render threads interleaved are each counted (one row for all, each record would have ended the
 * row of the thread before). A message given as a {@link MessagePattern} repeats one with the same
 * pattern and equal arguments (plain immutable values, so comparing them calls no worker code); a
 * text message never repeats a pattern. Not thread-safe: {@link LogBuffer} calls it under its
 * lock, but for {@link #rowIfAny}, {@link #isLastKept} and {@link #countsWithoutLock}, which a
 * thread calls for its own row before it takes the lock. A repeat of a flood already counted is
 * counted there, without the lock: with two threads flooding, taking the lock to count made a
 * repeat cost more than keeping it (1.25 and 1.47 times), and counting without it less (0.85 and
 * 0.88; BENCHMARKS.md §1, "A flood of one record").
 *
 * <p>The rows are the buffer's, in an array searched for the thread's id: a worker logs from a
 * few threads. The array is only read while threads take turns (moving the latest thread's row
 * first made a repeat cost two threads twice what keeping it did). They are not thread-locals,
 * which would put an entry per agent in the map of every thread that logs: 10,000 in each
 * producer thread of heartlog-bench's simulated fleet, whose heartbeats' latency was worse in
 * both runs with thread-locals than in the runs beside them (BENCHMARKS.md §1, "A flood of one
 * record"). Past {@link #MAX_ROWS} threads, a new thread's row takes the place of the oldest made,
 * whose count, if it has one, is recorded then, before the new thread's record.
 */
final class Repeats {

  /** Records of a row kept before repeats are counted: a worker's three attempts stay records. */
  static final int RECORDED_IN_A_ROW = 10;
  /** A repeat further than this from the one before it starts a row of its own. */
  static final long GAP_NANOS = 1_000_000_000L;

  /** A count as the record that reports it, less its sequence number. */
  record Count(Instant timestamp, Level level, String message, String taskId, Map<String, Object> metadata) {}

  /** Threads whose rows are kept: a pool of 200 request threads keeps its latest 64. */
  static final int MAX_ROWS = 64;

  /**
   * The rows of the threads that logged, in the order they were made. Replaced, never changed, so
   * that a thread may look for its row without the buffer's lock.
   */
  private volatile Row[] rows = new Row[0];
  /** Past {@link #MAX_ROWS}, the row a new thread's takes the place of: the oldest made. */
  private int nextReplaced;
  /**
   * The rows whose floods are counting, in the order they began: their counts are taken at each
   * batch ({@link #takeCounts}) until the flood ends ({@link #counts}) or the row is closed.
   */
  private final List<Row> counting = new ArrayList<>();
  /**
   * Counts of rows ended, by their thread's next record or by another thread's row taking their
   * place, waiting for {@link #takeEnded}: recorded before the record that ended them.
   */
  private final ArrayDeque<Count> ended = new ArrayDeque<>();

  /**
   * How many records {@code record} stands for: a flood's count, as a row's count here and {@code
   * heartlog run}'s are made, its count; any other record, 1 ({@link RepeatCount#occurrences}).
   */
  static long standsFor(LogRecord record) {
    if (!record.message().startsWith("repeated ") || record.metadata() == null) {
      return 1;
    }
    Object said = record.metadata().get(RepeatCount.KEY);
    return RepeatCount.occurrences(record.message(),
        said instanceof Number || said instanceof String ? said.toString() : null);
  }

  /** This thread's row, or {@code null} before it has one; needs no lock. */
  Row rowIfAny() {
    long thread = Thread.currentThread().getId();
    for (Row row : rows) {
      if (row.thread == thread) {
        return row;
      }
    }
    return null;
  }

  /**
   * This thread's row, made if it has none: {@code found}, the row {@link #rowIfAny} gave before
   * the lock, unless another thread's row took its place since.
   */
  Row row(Row found) {
    if (found != null && !found.closed()) {
      return found;
    }
    Row row = rowIfAny();
    if (row != null) {
      return row;
    }
    row = new Row(Thread.currentThread().getId());
    Row[] rows = this.rows;
    Row[] replaced;
    if (rows.length < MAX_ROWS) {
      replaced = Arrays.copyOf(rows, rows.length + 1);
      replaced[rows.length] = row;
    } else {
      replaced = rows.clone();
      close(replaced[nextReplaced]);
      replaced[nextReplaced] = row;
      nextReplaced = (nextReplaced + 1) % MAX_ROWS;
    }
    this.rows = replaced;
    return row;
  }

  /**
   * Whether a record is the one the row's thread last kept: the same level, message, task and
   * metadata. The costly part of the check, so the row's own thread makes it before it takes the
   * buffer's lock: only that thread changes which record it is. Comparing metadata maps inside
   * the lock made a repeat cost two threads twice what keeping it did.
   */
  static boolean isLastKept(Row row, Level level, Object message, String task, Map<String, Object> metadata) {
    LogRecord last = row == null ? null : row.last;
    return last != null
        && level == last.level()
        && sameMessage(message, last)
        && Objects.equals(task, last.taskId())
        && Objects.equals(metadata, last.metadata());
  }

  /**
   * Counts a record that {@link #isLastKept} found to repeat its row's record, when the row's
   * flood is counted already and the record comes within {@link #GAP_NANOS}; {@code false} leaves
   * it to {@link #counts}. Called by the row's own thread without the buffer's lock: only that
   * thread changes the row's place in its flood, and the heartbeat thread takes the count
   * atomically ({@link #takeCounts}), so a repeat is in exactly one count.
   */
  static boolean countsWithoutLock(Row row, Instant at) {
    if (!row.counting) {
      return false;
    }
    long atNanos = nanos(at);
    if (Math.abs(atNanos - row.lastNanos) > GAP_NANOS) {
      return false;
    }
    row.lastNanos = atNanos;   // before the count, so a count is never older than its last repeat
    long counted;
    do {
      counted = row.counted.get();
      if (counted == Row.CLOSED) {
        return false;   // another thread's row took its place: the buffer gives this thread a new one
      }
    } while (!row.counted.compareAndSet(counted, counted + 1));
    return true;
  }

  /**
   * Takes a record logged on the row's thread in, given {@link #isLastKept}: {@code true} when it
   * repeats the row's record within {@link #GAP_NANOS} past the first {@link #RECORDED_IN_A_ROW},
   * and is counted instead of kept. A record that repeats nothing ends the row, whose count waits
   * for {@link #takeEnded}; the caller then starts the next with {@link Row#kept}. The row is
   * this thread's current one ({@link #row}).
   */
  boolean counts(Row row, Instant at, boolean lastKept) {
    long atNanos = nanos(at);
    if (lastKept && row.inARow > 0 && Math.abs(atNanos - row.lastNanos) <= GAP_NANOS) {
      row.lastNanos = atNanos;
      if (row.inARow < RECORDED_IN_A_ROW) {
        row.inARow++;
        return false;
      }
      if (!row.counting) {
        counting.add(row);
        row.counting = true;
      }
      row.counted.incrementAndGet();
      return true;
    }
    if (row.counting) {
      counting.remove(row);
      row.counting = false;
      long counted = row.counted.getAndSet(0);
      if (counted > 0) {
        ended.add(row.count(counted));
      }
    }
    row.inARow = 0;   // a number, not a reference: storing one costs the caller a GC write barrier
    return false;
  }

  /**
   * A row pushed out by a new thread's: its count is taken for the last time, and a repeat its
   * thread counts on it still, having looked it up before, is refused ({@link #countsWithoutLock})
   * and kept on the thread's new row instead.
   */
  private void close(Row row) {
    long counted = row.counted.getAndSet(Row.CLOSED);
    if (row.counting) {
      counting.remove(row);
    }
    if (counted > 0) {
      ended.add(row.count(counted));
    }
  }

  /**
   * The next count of a row ended since the last call ({@link #counts}, {@link #row}), to be
   * recorded before the record that ended it; {@code null} when none waits.
   */
  Count takeEnded() {
    return ended.pollFirst();
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
      long counted = row.counted.getAndSet(0);
      if (counted > 0) {
        counts.add(row.count(counted));
      }
    }
    return counts;
  }

  /** How many counts wait to be recorded. */
  int waitingCounts() {
    int waiting = ended.size();
    for (Row row : counting) {
      if (row.counted.get() > 0) {
        waiting++;
      }
    }
    return waiting;
  }

  /**
   * One thread's row: the record that started it, and how often it came again. It holds that one
   * reference and numbers, and a call stores at most the one reference: a first version that
   * stored the record's four parts here at each call made a call that repeats nothing 1.6 times
   * slower (CallerCostBenchmark, two runs; storing a new object's reference into a long-lived one
   * costs a write barrier of the garbage collector, the likely cause).
   */
  static final class Row {
    /** {@link #counted} of a row another thread's took the place of ({@link #close}). */
    private static final long CLOSED = Long.MIN_VALUE;

    private final long thread;
    /** The row's record; read only while {@code inARow} is more than 0. */
    private LogRecord last;
    /** The time of the row's latest record; the heartbeat thread reads it for a count. */
    private volatile long lastNanos;
    /** Records of the row kept so far; 0: the row ended, and the next record kept starts one. */
    private int inARow;
    /** Whether the row is counting its repeats: it is in {@code counting}. Its thread's alone. */
    private boolean counting;
    /** Repeats counted since the count was last taken; its thread adds, the heartbeat thread takes. */
    private final AtomicLong counted = new AtomicLong();

    private Row(long thread) {
      this.thread = thread;
    }

    /** A record of this row's thread was kept: it starts the row, unless it repeated the row's record. */
    void kept(LogRecord record) {
      if (inARow == 0) {
        last = record;
        lastNanos = nanos(record.timestamp());
        inARow = 1;
      }
    }

    private boolean closed() {
      return counted.get() == CLOSED;
    }

    private Count count(long counted) {
      Instant at = Instant.ofEpochSecond(0, lastNanos);
      return new Count(at, last.level(), RecordJson.capMessage(RepeatCount.message(counted, last.message())), last.taskId(),
          RepeatCount.metadata(last.metadata(), counted));
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
