package dev.heartlog.agent;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the heartbeat thread has done so far: heartbeats, batches and records stored, retries,
 * and the last error. Written by the heartbeat thread only; read from any thread (the agent's
 * statistics, the heartbeat's own metadata).
 */
final class DeliveryCounters {

  private final AtomicLong heartbeats = new AtomicLong();
  private final AtomicLong flushes = new AtomicLong();
  private final AtomicLong sentRecords = new AtomicLong();
  private final AtomicLong sentEarlierRunRecords = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private volatile String lastError;
  private volatile Instant lastErrorAt;

  void heartbeatSent() {
    heartbeats.incrementAndGet();
  }

  /**
   * A batch of {@code records} was stored; {@code ofEarlierRun} where an earlier run of the
   * worker left it in the spool.
   */
  void batchStored(int records, boolean ofEarlierRun) {
    flushes.incrementAndGet();
    sentRecords.addAndGet(records);
    if (ofEarlierRun) {
      sentEarlierRunRecords.addAndGet(records);
    }
  }

  void retried() {
    retries.incrementAndGet();
  }

  void error(String detail, Instant at) {
    lastError = detail;
    lastErrorAt = at;
  }

  /** Heartbeat calls made, successful or not. */
  long heartbeats() {
    return heartbeats.get();
  }

  /** Batches stored. */
  long flushes() {
    return flushes.get();
  }

  /** Records stored. */
  long sentRecords() {
    return sentRecords.get();
  }

  /** Records stored that an earlier run of the worker left in the spool: some of {@link #sentRecords}. */
  long sentEarlierRunRecords() {
    return sentEarlierRunRecords.get();
  }

  /** Heartbeats that failed and are tried again. */
  long retries() {
    return retries.get();
  }

  /** The last failure's or refusal's detail; null before any. */
  String lastError() {
    return lastError;
  }

  /** When {@link #lastError()} happened; null before any. */
  Instant lastErrorAt() {
    return lastErrorAt;
  }
}
