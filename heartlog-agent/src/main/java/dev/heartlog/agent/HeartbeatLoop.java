package dev.heartlog.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The heartbeat thread's work. Each round it cuts the records that are due into batches (all of
 * them at each interval, or as soon as {@code bufferSize} wait), puts them in the batch queue
 * (the disk spool, or one batch in memory), and makes one heartbeat call carrying the oldest
 * batch the store has not acknowledged. After a success it goes on at once while a backlog
 * remains; after a failure it waits, exponentially longer with jitter up to the maximum retry
 * delay, and keeps cutting batches into the spool meanwhile so memory stays free.
 *
 * <p>The batches are kept by its {@link Outbox}; what other threads ask of it (a round, a
 * flush, the close) comes through its {@link LoopRequests}.
 */
final class HeartbeatLoop implements Runnable {

  /** First retry delay after a failed heartbeat; doubles per failure up to the cap. */
  static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(500);

  private final AgentConfig config;
  private final LogBuffer buffer;
  private final Outbox outbox;
  private final LoopRequests requests = new LoopRequests();
  private final Drops drops;
  private final Supplier<String> currentTask;
  private final Supplier<ComponentLevels> levels;
  private final Diagnostics diagnostics;
  private final Clock clock;
  private final String sessionId;

  // The heartbeat thread's own state.
  private int consecutiveFailures;
  private long nextBeatNanos = System.nanoTime();
  private long nextCutNanos = System.nanoTime();
  private String lastGpuProblem;
  private long lastStatsPrintedAt = System.nanoTime();

  private final AtomicLong heartbeatsSent = new AtomicLong();
  private final AtomicLong flushes = new AtomicLong();
  private final AtomicLong sentRecords = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private volatile String lastError;
  private volatile Instant lastErrorAt;

  HeartbeatLoop(AgentConfig config, LogBuffer buffer, BatchQueue queue, Drops drops, Supplier<String> currentTask,
      Supplier<ComponentLevels> levels, Diagnostics diagnostics, String sessionId) {
    this.config = config;
    this.buffer = buffer;
    this.outbox = new Outbox(config, buffer, queue, drops, sessionId);
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
      while (!requests.isClosing()) {
        boolean delivered = activeRound();
        awaitNextRound(delivered);
      }
      finish();
    } finally {
      outbox.close();
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
    if (requests.isClosing()) {
      try {
        finish();
      } finally {
        outbox.close();
      }
      return -1;
    }
    boolean delivered = activeRound();
    if (hasBacklog(delivered)) {
      return 0;
    }
    long deadline = Math.min(nextBeatNanos, nextCutNanos);
    if (requests.takeBeatRequest()) {
      return 0;
    }
    return Math.max(0, deadline - System.nanoTime());
  }

  /**
   * Called after every request for a round, so a loop run by a {@link HeartbeatScheduler} is
   * scheduled at once; a loop on its own thread is woken by its condition and needs none.
   */
  void onWakeRequest(Runnable waker) {
    requests.onWakeRequest(waker);
  }

  /** Asks for a round now (the buffer reached its flush threshold, or a flush was asked). */
  void requestBeat() {
    requests.requestBeat();
  }

  /** Makes the loop send its final heartbeats and end. */
  void close(WorkerStatus status) {
    requests.close(status);
  }

  /**
   * Waits until every record buffered before this call is settled: acknowledged by the store,
   * or dropped and counted.
   *
   * @return {@code false} when the timeout passed first
   */
  boolean awaitDelivered(long bufferedBefore, Duration timeout) throws InterruptedException {
    return requests.flushUntil(
        () -> outbox.settledBufferedRecords() + buffer.totalEvicted() >= bufferedBefore, timeout);
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
    WorkerStatus status = requests.finalStatus();
    boolean delivered;
    do {
      delivered = round(status, true);
    } while (delivered && (outbox.oldest() != null || buffer.size() > 0) && System.nanoTime() < deadline);
    int left = buffer.held();
    if (outbox.pendingBatches() > 0 && outbox.durable()) {
      diagnostics.info(outbox.pendingBatches() + " batches stay in the spool for the next start of worker "
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
      boolean tick = closingRound || requests.takeFlushRequest() || now - nextCutNanos >= 0;
      if (tick) {
        nextCutNanos = now + config.heartbeatInterval().toNanos();
      }
      outbox.cutDue(tick);
      boolean healthy = consecutiveFailures == 0;
      boolean beatDue = closingRound || now - nextBeatNanos >= 0 || (healthy && outbox.oldest() != null);
      return beatDue && beat(status);
    } catch (RuntimeException e) {
      noteFailure("heartbeat failed unexpectedly: " + e);
      return false;
    } finally {
      requests.signalProgress();
    }
  }

  /** One heartbeat call carrying the oldest unacknowledged batch, if any. */
  private boolean beat(WorkerStatus status) {
    Batch batch = outbox.oldest();
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
          outbox.settle(batch);
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
          outbox.settle(batch);
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
    metadata.put("spooled_batches", outbox.pendingBatches());
    metadata.put("spooled_bytes", outbox.pendingBytes());
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
              + ", spooled batches " + outbox.pendingBatches());
    }
  }

  /** Waits for the next heartbeat or cut, or a request; returns at once while a backlog drains. */
  private void awaitNextRound(boolean delivered) {
    if (hasBacklog(delivered)) {
      return;
    }
    requests.awaitRequest(Math.min(nextBeatNanos, nextCutNanos));
  }

  /** Whether the next round should follow at once: the store takes batches and more wait. */
  private boolean hasBacklog(boolean delivered) {
    return delivered && (outbox.oldest() != null || buffer.isDue());
  }

  private Duration retryDelay() {
    long base = FIRST_RETRY_DELAY.toMillis() << Math.min(consecutiveFailures - 1, 20);
    long capped = Math.min(base, config.maxRetryDelay().toMillis());
    double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
    return Duration.ofMillis(Math.max(1, (long) (capped * jitter)));
  }
}
