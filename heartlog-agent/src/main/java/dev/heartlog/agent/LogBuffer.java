package dev.heartlog.agent;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bounded, thread-safe queue between the threads that log and the heartbeat thread.
 *
 * <p>Two numbers matter. The <em>flush threshold</em> (the seed's {@code LOG_BUFFER_SIZE}, 100)
 * is when a heartbeat becomes due: reaching it calls {@code onThresholdReached} so the heartbeat
 * thread sends now instead of waiting out its interval. Nothing is discarded there, unlike the
 * seed, whose auto-flushed batch was returned to a caller that ignored it. The <em>capacity</em>
 * (records and bytes) bounds memory while neither the store nor the spool can take records, or
 * while records come faster than the spool takes them; only past it is a record dropped: the oldest record of the least severe level present, so
 * DEBUG goes before INFO and ERROR last. Every drop is counted for the heartbeat to report.
 *
 * <p>Records wait in one queue per level, each in arrival order; a record's sequence number is
 * its arrival number, given under the lock, so merging the queues by sequence restores the order
 * in which records were logged. The caller's path takes one short lock and never waits for I/O.
 */
final class LogBuffer {

  private static final Level[] LEVELS = Level.values();
  /** Records taken per lock hold while draining. */
  private static final int DRAIN_CHUNK = 64;

  /**
   * A monitor rather than a {@code ReentrantLock}: its holds are a few dozen nanoseconds, and a
   * contended monitor spins briefly before it parks a thread, where the lock parks at once.
   */
  private final Object lock = new Object();
  @SuppressWarnings("unchecked")
  private final ArrayDeque<LogRecord>[] queues = new ArrayDeque[LEVELS.length];
  private final int flushThreshold;
  private final int maxRecords;
  private final long maxBytes;
  private final Runnable onThresholdReached;
  private final Drops drops;
  /**
   * Counts a flood of one record; {@code null} when every repeat is kept. Guarded by lock, but for
   * what a logging thread does with its own row first: look it up, compare the record, and count a
   * repeat of a flood already counted (see {@link Repeats}).
   */
  private final Repeats repeats;

  // Guarded by lock. Records taken for a batch count against the capacity until they are safe
  // (spooled or acknowledged: release), so memory stays bounded however long the store is away.
  private long sequence;
  private int waiting;
  private long bytes;
  private int inFlightRecords;
  private long inFlightBytes;

  private final AtomicLong totalBuffered = new AtomicLong();
  private final AtomicLong totalDropped = new AtomicLong();
  private final AtomicLong totalEvicted = new AtomicLong();
  /** A sum of counters: two threads flooding count without the lock, and never share one line. */
  private final LongAdder totalRepeatsCounted = new LongAdder();

  LogBuffer(int flushThreshold, int maxRecords, long maxBytes, Runnable onThresholdReached, Drops drops) {
    this(flushThreshold, maxRecords, maxBytes, onThresholdReached, drops, false);
  }

  /** @param keepRepeats keep every record of a flood of one, rather than count them ({@link Repeats}) */
  LogBuffer(int flushThreshold, int maxRecords, long maxBytes, Runnable onThresholdReached, Drops drops, boolean keepRepeats) {
    this.repeats = keepRepeats ? null : new Repeats();
    this.flushThreshold = flushThreshold;
    this.maxRecords = maxRecords;
    this.maxBytes = maxBytes;
    this.onThresholdReached = onThresholdReached;
    this.drops = drops;
    for (int i = 0; i < queues.length; i++) {
      queues[i] = new ArrayDeque<>();
    }
  }

  /**
   * Makes a record with the next sequence number and adds it. At capacity, the oldest record of
   * the least severe level present (this one included) is dropped to make room. A record that
   * repeats a flood of one is counted instead ({@link Repeats}), unless repeats are kept.
   *
   * @return {@code false} when this record was the one dropped
   */
  boolean offer(Instant timestamp, Level level, String message, String taskId, Map<String, Object> metadata) {
    return add(timestamp, level, message, taskId, metadata, LogRecord.estimatedBytes(message, taskId, metadata));
  }

  /** Like {@link #offer(Instant, Level, String, String, Map)}, the message formatted when it is sent. */
  boolean offer(Instant timestamp, Level level, MessagePattern message, String taskId, Map<String, Object> metadata) {
    return add(timestamp, level, message, taskId, metadata, LogRecord.estimatedBytes(message, taskId, metadata));
  }

  private boolean add(Instant timestamp, Level level, Object message, String taskId, Map<String, Object> metadata, long size) {
    boolean thresholdReached;
    Repeats.Row row = null;
    boolean lastKept = false;
    if (repeats != null) {
      row = repeats.rowIfAny();
      lastKept = Repeats.isLastKept(row, level, message, taskId, metadata);
      if (lastKept && Repeats.countsWithoutLock(row, timestamp)) {
        totalRepeatsCounted.increment();
        return true;
      }
    }
    synchronized (lock) {
      int waitingBefore = waiting;
      if (repeats != null) {
        row = repeats.row(row);
        if (repeats.counts(row, timestamp, lastKept)) {
          totalRepeatsCounted.increment();
          return true;
        }
        // This record ended a flood (its thread's, or one its new row pushed out): the count goes
        // before it, where the repeats were.
        for (Repeats.Count ended; (ended = repeats.takeEnded()) != null; ) {
          addCount(ended);
        }
      }
      LogRecord record = append(timestamp, level, message, taskId, metadata, size);
      if (record == null) {
        return false;
      }
      if (row != null) {
        row.kept(record);
      }
      // A count added with the record may step past the threshold rather than onto it.
      thresholdReached = waiting == flushThreshold || (waitingBefore < flushThreshold && waiting > flushThreshold);
    }
    totalBuffered.incrementAndGet();
    if (thresholdReached) {
      onThresholdReached.run();
    }
    return true;
  }

  /** Adds the record of the repeats counted so far, unless it is the one dropped to make room. Holds lock. */
  private void addCount(Repeats.Count count) {
    long size = LogRecord.estimatedBytes(count.message(), count.taskId(), count.metadata());
    if (append(count.timestamp(), count.level(), count.message(), count.taskId(), count.metadata(), size) != null) {
      totalBuffered.incrementAndGet();
    }
  }

  /**
   * Adds a record with the next sequence number, making room as {@link #offer} says; {@code null}
   * when it was the one dropped. Holds lock.
   */
  private LogRecord append(Instant timestamp, Level level, Object message, String taskId, Map<String, Object> metadata, long size) {
    while (isFull(size)) {
      if (!evictBelowOrAt(level)) {
        drop();
        return null;
      }
    }
    LogRecord record = new LogRecord(timestamp, ++sequence, level, message, taskId, metadata, size);
    queues[level.ordinal()].addLast(record);
    waiting++;
    bytes += size;
    return record;
  }

  /** The next sequence number, for records the agent makes itself (drop reports). */
  long nextSequence() {
    synchronized (lock) {
      return ++sequence;
    }
  }

  /**
   * Takes records in the order they were logged, up to a batch's limits. At least one record is
   * taken when any waits, even if it alone exceeds {@code maxBatchBytes}. They keep counting
   * against the capacity until {@link #release(List)}.
   */
  List<LogRecord> drain(int maxBatchRecords, long maxBatchBytes) {
    List<LogRecord> batch = new ArrayList<>(Math.min(size(), maxBatchRecords));
    long batchBytes = 0;
    boolean more = true;
    // A flood going on is reported at each batch, as a progress bar is.
    recordCounts();
    while (more) {
      // A few records per lock hold: threads that log never wait long for the heartbeat thread.
      synchronized (lock) {
        int taken = 0;
        while (waiting > 0 && batch.size() < maxBatchRecords && taken < DRAIN_CHUNK) {
          ArrayDeque<LogRecord> oldest = oldestQueue();
          long size = oldest.peekFirst().estimatedBytes();
          if (!batch.isEmpty() && batchBytes + size > maxBatchBytes) {
            more = false;
            break;
          }
          batch.add(oldest.pollFirst());
          waiting--;
          taken++;
          batchBytes += size;
          bytes -= size;
          inFlightRecords++;
          inFlightBytes += size;
        }
        more &= waiting > 0 && batch.size() < maxBatchRecords;
      }
    }
    return batch;
  }

  /**
   * Records the counts of the floods going on (their repeats so far), so that they are sent with
   * the records before them; their further repeats are counted from zero.
   */
  void recordCounts() {
    if (repeats != null) {
      synchronized (lock) {
        repeats.takeCounts().forEach(this::addCount);
      }
    }
  }

  /** Frees the capacity of records that are safe now (spooled to disk, or acknowledged). */
  void release(List<LogRecord> records) {
    long released = 0;
    for (LogRecord record : records) {
      released += record.estimatedBytes();
    }
    synchronized (lock) {
      inFlightRecords -= records.size();
      inFlightBytes -= released;
    }
  }

  /** Records waiting to be taken into a batch, the counts of repeats not yet recorded included. */
  int size() {
    synchronized (lock) {
      return repeats != null ? waiting + repeats.waitingCounts() : waiting;
    }
  }

  /** Records held in memory: waiting, plus taken into a batch that is not safe yet. */
  int held() {
    synchronized (lock) {
      return waiting + inFlightRecords;
    }
  }

  boolean isDue() {
    return size() >= flushThreshold;
  }

  /** Whether enough records wait to fill a batch of these limits. */
  boolean holdsWholeBatch(int maxBatchRecords, long maxBatchBytes) {
    synchronized (lock) {
      return waiting >= maxBatchRecords || bytes >= maxBatchBytes;
    }
  }

  long totalBuffered() {
    return totalBuffered.get();
  }

  /** Records counted as repeats of a flood rather than kept. */
  long totalRepeatsCounted() {
    return totalRepeatsCounted.sum();
  }

  /** Records dropped at the buffer: refused, or accepted and evicted later. */
  long totalDropped() {
    return totalDropped.get();
  }

  /** Records accepted and later evicted to make room: settled, as far as a flush is concerned. */
  long totalEvicted() {
    return totalEvicted.get();
  }

  private boolean isFull(long incomingBytes) {
    return waiting + inFlightRecords >= maxRecords || bytes + inFlightBytes + incomingBytes > maxBytes;
  }

  /**
   * Drops the oldest waiting record of the least severe level, if that level is at or below
   * {@code incoming}; returns {@code false} when the incoming record is the least severe.
   */
  private boolean evictBelowOrAt(Level incoming) {
    for (int i = 0; i <= incoming.ordinal(); i++) {
      LogRecord victim = queues[i].pollFirst();
      if (victim != null) {
        waiting--;
        bytes -= victim.estimatedBytes();
        totalEvicted.incrementAndGet();
        drop();
        return true;
      }
    }
    return false;
  }

  private void drop() {
    totalDropped.incrementAndGet();
    drops.addMemoryFull();
  }

  private ArrayDeque<LogRecord> oldestQueue() {
    ArrayDeque<LogRecord> oldest = null;
    for (ArrayDeque<LogRecord> queue : queues) {
      LogRecord head = queue.peekFirst();
      if (head != null && (oldest == null || head.sequence() < oldest.peekFirst().sequence())) {
        oldest = queue;
      }
    }
    return oldest;
  }
}
