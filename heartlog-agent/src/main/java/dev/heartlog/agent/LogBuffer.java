package dev.heartlog.agent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded, thread-safe queue between the threads that log and the heartbeat thread.
 *
 * <p>Two numbers matter. The <em>flush threshold</em> (the seed's {@code LOG_BUFFER_SIZE}, 100)
 * is when a heartbeat becomes due: reaching it calls {@code onThresholdReached} so the heartbeat
 * thread sends now instead of waiting out its interval. Nothing is discarded there, unlike the
 * seed, whose auto-flushed batch was returned to a caller that ignored it. The <em>capacity</em>
 * (records and bytes) bounds memory while the store is away; only past it is a record dropped, and
 * the drop is counted so the heartbeat can report it.
 *
 * <p>The caller's path takes one short lock and never waits for I/O.
 */
final class LogBuffer {

  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<LogRecord> records = new ArrayDeque<>();
  private final int flushThreshold;
  private final int maxRecords;
  private final long maxBytes;
  private final Runnable onThresholdReached;

  // Guarded by lock. Records taken for a batch still count against the capacity until the store
  // acknowledges them (release), so memory stays bounded however long the store is away.
  private long bytes;
  private int inFlightRecords;
  private long inFlightBytes;
  private long unreportedDrops;

  private final AtomicLong totalBuffered = new AtomicLong();
  private final AtomicLong totalDropped = new AtomicLong();

  LogBuffer(int flushThreshold, int maxRecords, long maxBytes, Runnable onThresholdReached) {
    this.flushThreshold = flushThreshold;
    this.maxRecords = maxRecords;
    this.maxBytes = maxBytes;
    this.onThresholdReached = onThresholdReached;
  }

  /**
   * Adds a record unless the buffer is at capacity.
   *
   * @return {@code false} when the record was dropped (and counted)
   */
  boolean offer(LogRecord record) {
    long size = record.estimatedBytes();
    boolean thresholdReached;
    lock.lock();
    try {
      if (records.size() + inFlightRecords >= maxRecords || bytes + inFlightBytes + size > maxBytes) {
        unreportedDrops++;
        totalDropped.incrementAndGet();
        return false;
      }
      records.addLast(record);
      bytes += size;
      thresholdReached = records.size() == flushThreshold;
    } finally {
      lock.unlock();
    }
    totalBuffered.incrementAndGet();
    if (thresholdReached) {
      onThresholdReached.run();
    }
    return true;
  }

  /**
   * Takes records from the head, oldest first, up to a batch's limits. At least one record is
   * taken when any waits, even if it alone exceeds {@code maxBatchBytes}. They keep counting
   * against the capacity until {@link #release(List)}.
   */
  List<LogRecord> drain(int maxBatchRecords, long maxBatchBytes) {
    lock.lock();
    try {
      List<LogRecord> batch = new ArrayList<>(Math.min(records.size(), maxBatchRecords));
      long batchBytes = 0;
      while (!records.isEmpty() && batch.size() < maxBatchRecords) {
        long size = records.peekFirst().estimatedBytes();
        if (!batch.isEmpty() && batchBytes + size > maxBatchBytes) {
          break;
        }
        batch.add(records.pollFirst());
        batchBytes += size;
        bytes -= size;
      }
      inFlightRecords += batch.size();
      inFlightBytes += batchBytes;
      return batch;
    } finally {
      lock.unlock();
    }
  }

  /** Frees the capacity of records the store acknowledged (taken earlier by {@link #drain}). */
  void release(List<LogRecord> acknowledged) {
    long released = 0;
    for (LogRecord record : acknowledged) {
      released += record.estimatedBytes();
    }
    lock.lock();
    try {
      inFlightRecords -= acknowledged.size();
      inFlightBytes -= released;
    } finally {
      lock.unlock();
    }
  }

  /** Returns the drops not yet reported to the store and starts counting afresh. */
  long takeUnreportedDrops() {
    lock.lock();
    try {
      long drops = unreportedDrops;
      unreportedDrops = 0;
      return drops;
    } finally {
      lock.unlock();
    }
  }

  /** Puts back a drop count whose report could not be sent, so it is reported later. */
  void restoreUnreportedDrops(long drops) {
    lock.lock();
    try {
      unreportedDrops += drops;
    } finally {
      lock.unlock();
    }
  }

  /** Records waiting to be taken into a batch. */
  int size() {
    lock.lock();
    try {
      return records.size();
    } finally {
      lock.unlock();
    }
  }

  /** Records held in memory: waiting, plus taken into a batch the store has not acknowledged. */
  int held() {
    lock.lock();
    try {
      return records.size() + inFlightRecords;
    } finally {
      lock.unlock();
    }
  }

  boolean isDue() {
    return size() >= flushThreshold;
  }

  long totalBuffered() {
    return totalBuffered.get();
  }

  long totalDropped() {
    return totalDropped.get();
  }
}
