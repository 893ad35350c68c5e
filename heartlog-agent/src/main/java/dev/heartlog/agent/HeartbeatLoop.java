package dev.heartlog.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The heartbeat thread's work. Each round it cuts the records that are due into batches (all of
 * them at each interval, or as soon as {@code bufferSize} wait), puts them in the batch queue
 * (the disk spool, or one batch in memory), and makes one heartbeat call carrying the oldest
 * batch the store has not acknowledged. After a success it goes on at once while a backlog
 * remains; after a failure it waits, exponentially longer with jitter up to the maximum retry
 * delay, and keeps cutting batches into the spool meanwhile so memory stays free.
 */
final class HeartbeatLoop implements Runnable {

  /**
   * Most batches cut in one round. Under a flood of records the round must still get to send;
   * the rest waits (in memory, bounded) for the next round, which follows at once.
   */
  static final int MAX_CUTS_PER_ROUND = 4;

  /** First retry delay after a failed heartbeat; doubles per failure up to the cap. */
  static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(500);

  private final AgentConfig config;
  private final LogBuffer buffer;
  private final BatchQueue queue;
  /**
   * One batch kept in memory when the spool refuses it (full, disk error). It is sent after every
   * spooled batch, and no batch is cut while it waits, so batches reach the store in number order.
   */
  private final MemoryBatchQueue overflow = new MemoryBatchQueue();
  private final Drops drops;
  private final Supplier<String> currentTask;
  private final Supplier<ComponentLevels> levels;
  private final Diagnostics diagnostics;
  private final Clock clock;
  private final String sessionId;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final Condition progress = lock.newCondition();
  // Guarded by lock.
  private boolean beatRequested;
  private boolean flushRequested;
  private boolean closing;
  private WorkerStatus finalStatus = WorkerStatus.STOPPED;

  // The heartbeat thread's own state.
  private long batchSequence;
  private int consecutiveFailures;
  private long nextBeatNanos = System.nanoTime();
  private long nextCutNanos = System.nanoTime();
  private String lastGpuProblem;
  private long lastStatsPrintedAt = System.nanoTime();
  private volatile Runnable waker = () -> {};

  private final AtomicLong heartbeatsSent = new AtomicLong();
  private final AtomicLong flushes = new AtomicLong();
  private final AtomicLong sentRecords = new AtomicLong();
  private final AtomicLong settledBufferedRecords = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private volatile String lastError;
  private volatile Instant lastErrorAt;

  HeartbeatLoop(AgentConfig config, LogBuffer buffer, BatchQueue queue, Drops drops, Supplier<String> currentTask,
      Supplier<ComponentLevels> levels, Diagnostics diagnostics, String sessionId) {
    this.config = config;
    this.buffer = buffer;
    this.queue = queue;
    this.drops = drops;
    this.currentTask = currentTask;
    this.levels = levels;
    this.diagnostics = diagnostics;
    this.clock = config.clock();
    this.sessionId = sessionId;
  }

  /** Runs the loop on a thread of its own until it is closed and has sent its final heartbeats. */
  @Override
  public void run() {
    try {
      while (!isClosing()) {
        boolean delivered = activeRound();
        awaitNextRound(delivered);
      }
      finish();
    } finally {
      queue.close();
    }
  }

  /**
   * Runs one round on a shared thread ({@link HeartbeatScheduler}) and says when the next is due,
   * instead of waiting for it.
   *
   * @return nanoseconds until the next round (0 while a backlog drains or a round was asked
   *     for), or -1 once the loop was closed and has sent its final heartbeats
   */
  long step() {
    if (isClosing()) {
      try {
        finish();
      } finally {
        queue.close();
      }
      return -1;
    }
    boolean delivered = activeRound();
    if (hasBacklog(delivered)) {
      return 0;
    }
    long deadline = Math.min(nextBeatNanos, nextCutNanos);
    lock.lock();
    try {
      if (closing || beatRequested) {
        beatRequested = false;
        return 0;
      }
    } finally {
      lock.unlock();
    }
    return Math.max(0, deadline - System.nanoTime());
  }

  /**
   * Called after every request for a round, so a loop run by a {@link HeartbeatScheduler} is
   * scheduled at once; a loop on its own thread is woken by its condition and needs none.
   */
  void onWakeRequest(Runnable waker) {
    this.waker = waker;
  }

  /** Asks for a round now (the buffer reached its flush threshold, or a flush was asked). */
  void requestBeat() {
    lock.lock();
    try {
      beatRequested = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
    waker.run();
  }

  /** Makes the loop send its final heartbeats and end. */
  void close(WorkerStatus status) {
    lock.lock();
    try {
      closing = true;
      finalStatus = status;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
    waker.run();
  }

  /**
   * Waits until every record buffered before this call is settled: acknowledged by the store,
   * or dropped and counted.
   *
   * @return {@code false} when the timeout passed first
   */
  boolean awaitDelivered(long bufferedBefore, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (settledBufferedRecords.get() + buffer.totalEvicted() < bufferedBefore) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return false;
        }
        flushRequested = true;
        beatRequested = true;
        wake.signalAll();
        waker.run();
        progress.awaitNanos(remaining);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  long heartbeatsSent() {
    return heartbeatsSent.get();
  }

  long flushes() {
    return flushes.get();
  }

  long sentRecords() {
    return sentRecords.get();
  }

  long retries() {
    return retries.get();
  }

  String lastError() {
    return lastError;
  }

  Instant lastErrorAt() {
    return lastErrorAt;
  }

  /** Cuts everything left, then sends until nothing is left, the store fails, or time is up. */
  private void finish() {
    long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
    WorkerStatus status = finalStatusSnapshot();
    boolean delivered;
    do {
      delivered = round(status, true);
    } while (delivered && (oldestBatch() != null || buffer.size() > 0) && System.nanoTime() < deadline);
    int left = buffer.held();
    if (queue.pendingBatches() > 0 && queue.durable()) {
      diagnostics.info(queue.pendingBatches() + " batches stay in the spool for the next start of worker "
          + config.workerId());
    } else if (left > 0) {
      diagnostics.info(left + " records of worker " + config.workerId() + " could not be delivered before shutdown");
    }
  }

  private boolean activeRound() {
    boolean delivered = round(WorkerStatus.ACTIVE, false);
    printStatsWhenDue();
    return delivered;
  }

  /**
   * One round: cut what is due, then send one heartbeat if one is due. Never throws: a loop
   * that throws stops heartbeating.
   *
   * @return whether a heartbeat was made and acknowledged
   */
  private boolean round(WorkerStatus status, boolean closingRound) {
    try {
      long now = System.nanoTime();
      boolean tick = closingRound || takeFlushRequest() || now - nextCutNanos >= 0;
      if (tick) {
        nextCutNanos = now + config.heartbeatInterval().toNanos();
      }
      cutDueRecords(tick);
      boolean healthy = consecutiveFailures == 0;
      boolean beatDue = closingRound || now - nextBeatNanos >= 0 || (healthy && oldestBatch() != null);
      return beatDue && beat(status);
    } catch (RuntimeException e) {
      noteFailure("heartbeat failed unexpectedly: " + e);
      return false;
    } finally {
      signalProgress();
    }
  }

  /** Moves records into the batch queue: all at a tick, else while a full threshold waits. */
  private void cutDueRecords(boolean tick) {
    for (int cuts = 0; cuts < MAX_CUTS_PER_ROUND && isCutDue(tick); cuts++) {
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
      Batch batch = Batch.of(sessionId, ++batchSequence, records, fromBuffer);
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

  private boolean isCutDue(boolean tick) {
    return buffer.isDue() || (tick && (buffer.size() > 0 || hasUnreportedDrops()));
  }

  private boolean hasUnreportedDrops() {
    return drops.hasUnreported();
  }

  /** One heartbeat call carrying the oldest unacknowledged batch, if any. */
  private boolean beat(WorkerStatus status) {
    Batch batch = oldestBatch();
    GpuReading gpu = readGpu();
    Heartbeat heartbeat =
        new Heartbeat(
            config.workerId(),
            batch == null ? sessionId : batch.sessionId(),
            batch == null ? null : batch.sequence(),
            status,
            gpu.totalMb(),
            gpu.usedMb(),
            currentTask.get(),
            batch == null ? List.of() : batch.records(),
            heartbeatMetadata(gpu, batch),
            batch == null ? "[]" : batch.logsJson());
    DeliveryResult result = deliver(heartbeat);
    heartbeatsSent.incrementAndGet();
    return handle(result, batch);
  }

  private DeliveryResult deliver(Heartbeat heartbeat) {
    Transport transport = config.transport();
    if (transport == null) {
      return DeliveryResult.failed("no destination configured");
    }
    return transport.deliver(heartbeat);
  }

  private boolean handle(DeliveryResult result, Batch batch) {
    switch (result.outcome()) {
      case STORED -> {
        if (batch != null) {
          flushes.incrementAndGet();
          sentRecords.addAndGet(batch.records().size());
          settle(batch);
        }
        if (consecutiveFailures > 0) {
          diagnostics.info("store reachable again for worker " + config.workerId());
        }
        consecutiveFailures = 0;
        nextBeatNanos = System.nanoTime() + config.heartbeatInterval().toNanos();
        diagnostics.resolved("delivery");
        return true;
      }
      case REJECTED -> {
        if (batch != null) {
          drops.add(Drops.Reason.REJECTED, batch.records().size());
          settle(batch);
        }
        noteError(result.detail());
        diagnostics.problem("rejected", "the store rejected a batch of worker " + config.workerId() + " ("
            + result.detail() + "); its records are dropped and the drop reported");
        nextBeatNanos = System.nanoTime();
        return true;
      }
      case HEARTBEAT_ONLY -> {
        consecutiveFailures = 0;
        noteError(result.detail());
        nextBeatNanos = System.nanoTime() + config.heartbeatInterval().toNanos();
        diagnostics.problem("function-missing", result.detail() + "; " + pendingRecords() + " records kept");
        return false;
      }
      default -> {
        noteFailure(result.detail());
        if (result.retryAfter() != null) {
          nextBeatNanos = Math.max(nextBeatNanos, System.nanoTime() + result.retryAfter().toNanos());
        }
        return false;
      }
    }
  }

  /** The spool's oldest batch, else the overflow batch (always newer than anything spooled). */
  private Batch oldestBatch() {
    Batch spooled = queue.peek();
    return spooled != null ? spooled : overflow.peek();
  }

  private void settle(Batch batch) {
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

  private void noteFailure(String detail) {
    consecutiveFailures++;
    retries.incrementAndGet();
    noteError(detail);
    nextBeatNanos = System.nanoTime() + retryDelay().toNanos();
    diagnostics.problem("delivery", "heartbeat for worker " + config.workerId() + " failed (" + detail + "); "
        + pendingRecords() + " records kept, retrying");
  }

  private void noteError(String detail) {
    lastError = detail;
    lastErrorAt = clock.instant();
  }

  private LogRecord dropReport(Drops.Reason reason, long count) {
    return new LogRecord(
        clock.instant(),
        buffer.nextSequence(),
        Level.WARNING,
        "heartlog dropped " + count + " records: " + reason.sentence,
        null,
        Map.of("heartlog_dropped", count, "reason", reason.key));
  }

  private GpuReading readGpu() {
    GpuReading reading = config.gpuProbe().read();
    String problem = reading.problem();
    if (problem != null && !problem.equals(lastGpuProblem)) {
      // A reading can have figures and a problem too: a GPU left out as [N/A], indexes in doubt.
      diagnostics.info(reading.totalMb() == null
          ? "GPU memory not available (" + problem + "); heartbeats carry nulls"
          : "GPU memory read, but " + problem);
    } else if (problem == null && lastGpuProblem != null) {
      diagnostics.info("GPU memory readable again");
    }
    lastGpuProblem = problem;
    return reading;
  }

  private Map<String, Object> heartbeatMetadata(GpuReading gpu, Batch batch) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("agent", "heartlog-java");
    metadata.put("session_id", sessionId);
    metadata.put("buffered", buffer.held());
    metadata.put("total_buffered", buffer.totalBuffered());
    metadata.put("total_sent", sentRecords.get());
    metadata.put("total_dropped", drops.total());
    metadata.put("dropped_by_reason", drops.totalsByReason());
    metadata.put("spooled_batches", queue.pendingBatches());
    metadata.put("spooled_bytes", queue.pendingBytes());
    metadata.put("retries", retries.get());
    if (lastError != null) {
      metadata.put("last_error", lastError);
      metadata.put("last_error_at", lastErrorAt.toString());
    }
    ComponentLevels kept = levels.get();
    if (!kept.isEmpty()) {
      // So that whoever misses a worker's INFO records in the store can see why.
      metadata.put("levels", kept.toString());
    }
    metadata.put("gpus_counted", gpu.gpusCounted());
    if (gpu.problem() != null) {
      metadata.put("gpu_problem", gpu.problem());
    }
    if (batch != null) {
      // Fleet health's counts: the store adds them instead of counting the records itself.
      metadata.put("problem_counts", ProblemCounts.of(batch.records()));
    }
    return metadata;
  }

  private int pendingRecords() {
    return buffer.held();
  }

  private void printStatsWhenDue() {
    if (!config.debug()) {
      return;
    }
    long now = System.nanoTime();
    if (now - lastStatsPrintedAt >= config.statsInterval().toNanos()) {
      lastStatsPrintedAt = now;
      diagnostics.info(
          "worker " + config.workerId() + " active (" + heartbeatsSent.get() + " heartbeats sent); "
              + "log buffer stats: current " + pendingRecords() + ", buffered " + buffer.totalBuffered()
              + ", flushes " + flushes.get() + ", sent " + sentRecords.get() + ", dropped " + drops.total()
              + ", spooled batches " + queue.pendingBatches());
    }
  }

  /** Waits for the next heartbeat or cut, or a request; returns at once while a backlog drains. */
  private void awaitNextRound(boolean delivered) {
    if (hasBacklog(delivered)) {
      return;
    }
    long deadline = Math.min(nextBeatNanos, nextCutNanos);
    lock.lock();
    try {
      while (!closing && !beatRequested) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          break;
        }
        wake.awaitNanos(remaining);
      }
      beatRequested = false;
    } catch (InterruptedException e) {
      closing = true;
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  /** Whether the next round should follow at once: the store takes batches and more wait. */
  private boolean hasBacklog(boolean delivered) {
    return delivered && (oldestBatch() != null || buffer.isDue());
  }

  private Duration retryDelay() {
    long base = FIRST_RETRY_DELAY.toMillis() << Math.min(consecutiveFailures - 1, 20);
    long capped = Math.min(base, config.maxRetryDelay().toMillis());
    double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
    return Duration.ofMillis(Math.max(1, (long) (capped * jitter)));
  }

  private boolean takeFlushRequest() {
    lock.lock();
    try {
      boolean requested = flushRequested;
      flushRequested = false;
      return requested;
    } finally {
      lock.unlock();
    }
  }

  private boolean isClosing() {
    lock.lock();
    try {
      return closing;
    } finally {
      lock.unlock();
    }
  }

  private WorkerStatus finalStatusSnapshot() {
    lock.lock();
    try {
      return finalStatus;
    } finally {
      lock.unlock();
    }
  }

  private void signalProgress() {
    lock.lock();
    try {
      progress.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
