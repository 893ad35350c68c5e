package dev.heartlog.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The batches on their way to the store. Records are cut from the buffer into numbered batches,
 * with a report of any records dropped since the last one, and kept in the batch queue (the disk
 * spool, or one batch in memory) until the store acknowledges them. Used by the heartbeat thread;
 * only {@link #settledBufferedRecords} is read by others.
 */
final class Outbox {

  /**
   * Longest a round goes on cutting batches into the spool while whole batches wait. Records
   * past memory's capacity are dropped, and the spool takes a batch in a few milliseconds where
   * the store takes tens: rounds that cut four batches before each send dropped 13–21% of a
   * burst of 50,000 lines that the spool had room for (BENCHMARKS.md §7, "A burst faster than
   * the store"). The round still sends after it.
   */
  static final Duration MAX_CUT_TIME = Duration.ofMillis(100);

  private final AgentConfig config;
  private final LogBuffer buffer;
  private final BatchQueue queue;
  /**
   * One batch kept in memory when the spool refuses it (full, disk error). It is sent after every
   * spooled batch, and no batch is cut while it waits, so batches reach the store in number order.
   */
  private final MemoryBatchQueue overflow = new MemoryBatchQueue();
  private final Drops drops;
  private final String sessionId;
  private final Duration maxCutTime;
  private long batchSequence;
  private final AtomicLong settledBufferedRecords = new AtomicLong();
  /**
   * What the transport named when {@link #credentials} was made, and those credentials with the
   * values the configuration masks.
   */
  private Collection<String> credentialsNamed = List.of();
  private Credentials credentials;

  Outbox(AgentConfig config, LogBuffer buffer, BatchQueue queue, Drops drops, String sessionId) {
    this(config, buffer, queue, drops, sessionId, MAX_CUT_TIME);
  }

  // Visible for testing
  Outbox(AgentConfig config, LogBuffer buffer, BatchQueue queue, Drops drops, String sessionId, Duration maxCutTime) {
    this.config = config;
    this.buffer = buffer;
    this.queue = queue;
    this.drops = drops;
    this.sessionId = sessionId;
    this.maxCutTime = maxCutTime;
    this.credentials = config.maskedValues();
    noteWhyMemoryMayFill();
  }

  /**
   * Moves records into batches: a batch of what waits at a tick or once the flush threshold is
   * reached; then, into the spool, one more batch after another while a whole batch waits, for
   * up to {@link #MAX_CUT_TIME}.
   */
  void cutDue(boolean tick) {
    try {
      cutBatches(tick);
    } finally {
      noteWhyMemoryMayFill();
    }
  }

  private void cutBatches(boolean tick) {
    long deadline = System.nanoTime() + maxCutTime.toNanos();
    for (int cuts = 0; isCutDue(tick) && (cuts == 0 || wholeBatchWaitsBefore(deadline)); cuts++) {
      if (overflow.peek() != null || (!queue.durable() && !queue.canAccept())) {
        return;
      }
      boolean toQueue = queue.canAccept();
      List<LogRecord> fromBuffer = buffer.drain(config.maxBatchRecords(), config.maxBatchBytes());
      Map<Drops.Reason, Long> dropCounts = drops.takeUnreported();
      List<LogRecord> records = fromBuffer;
      if (!dropCounts.isEmpty()) {
        records = new ArrayList<>(fromBuffer);
        for (Map.Entry<Drops.Reason, Long> drop : dropCounts.entrySet()) {
          records.add(dropReport(drop.getKey(), drop.getValue()));
        }
      }
      if (records.isEmpty()) {
        return;
      }
      Batch batch = Batch.of(sessionId, ++batchSequence, records, fromBuffer, credentials());
      if (toQueue && queue.append(batch)) {
        if (queue.durable()) {
          buffer.release(fromBuffer);
        }
        continue;
      }
      // The spool refused it: keep it in memory (its records hold buffer capacity until sent).
      overflow.append(batch);
      return;
    }
  }

  /**
   * The transport's credentials as they are now and the values the configuration masks, masked
   * in the batch being cut: made again only when the transport names others (a token read again
   * from its file).
   */
  private Credentials credentials() {
    if (config.transport() == null) {
      return config.maskedValues();
    }
    Collection<String> named = config.transport().credentials();
    if (!named.equals(credentialsNamed)) {
      credentials = config.maskedValues().and(named);
      credentialsNamed = new ArrayList<>(named);
    }
    return credentials;
  }

  /** The spool's oldest batch, else the overflow batch (always newer than anything spooled). */
  Batch oldest() {
    Batch spooled = queue.peek();
    return spooled != null ? spooled : overflow.peek();
  }

  /** Removes a batch the store answered for (stored, or rejected and counted as dropped). */
  void settle(Batch batch) {
    if (batch == overflow.peek()) {
      overflow.ack(batch);
      buffer.release(batch.fromBuffer());
    } else {
      queue.ack(batch);
      if (!queue.durable()) {
        buffer.release(batch.fromBuffer());
      }
    }
    if (batch.sessionId().equals(sessionId)) {
      settledBufferedRecords.addAndGet(batch.bufferedCount());
    }
  }

  /** How many of this session's buffered records are settled; with the evicted, how far delivery got. */
  long settledBufferedRecords() {
    return settledBufferedRecords.get();
  }

  /** Whether batches outlive the process (a spool). */
  boolean durable() {
    return queue.durable();
  }

  int pendingBatches() {
    return queue.pendingBatches();
  }

  long pendingBytes() {
    return queue.pendingBytes();
  }

  void close() {
    queue.close();
  }

  private boolean wholeBatchWaitsBefore(long deadline) {
    return buffer.holdsWholeBatch(config.maxBatchRecords(), config.maxBatchBytes()) && System.nanoTime() - deadline < 0;
  }

  /**
   * A record that finds memory full was dropped because records came faster than the spool took
   * them, or because there was no room left but memory: the report says which.
   */
  private void noteWhyMemoryMayFill() {
    boolean spoolTakesBatches = queue.durable() && queue.canAccept() && overflow.peek() == null;
    drops.whenMemoryIsFull(spoolTakesBatches ? Drops.Reason.BURST : Drops.Reason.BUFFER_FULL);
  }

  /** Whether {@link #cutDue} would cut a batch now. */
  boolean wouldCut(boolean tick) {
    return isCutDue(tick) && overflow.peek() == null && (queue.durable() || queue.canAccept());
  }

  private boolean isCutDue(boolean tick) {
    return buffer.isDue() || (tick && (buffer.size() > 0 || drops.hasUnreported()));
  }

  private LogRecord dropReport(Drops.Reason reason, long count) {
    return new LogRecord(
        config.clock().instant(),
        buffer.nextSequence(),
        Level.WARNING,
        "heartlog dropped " + count + " records: " + reason.sentence,
        null,
        Map.of("heartlog_dropped", count, "reason", reason.key));
  }
}
