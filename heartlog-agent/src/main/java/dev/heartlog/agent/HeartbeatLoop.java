package dev.heartlog.agent;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The heartbeat thread's work. Each round it cuts the records that are due into batches (all of
 * them at each interval, or as soon as {@code bufferSize} wait), puts them in the batch queue
 * (the disk spool, or one batch in memory), and makes one heartbeat call carrying the oldest
 * batch the store has not acknowledged. After a success it goes on at once while a backlog
 * remains; after a failure it waits, exponentially longer with jitter up to the maximum retry
 * delay, and keeps cutting batches into the spool meanwhile so memory stays free.
 *
 * <p>The batches are kept by its {@link Outbox}, and what a heartbeat says besides its batch is
 * made by its {@link HeartbeatContents}; what other threads ask of it (a round, a flush, the
 * close) comes through its {@link LoopRequests}, and what it has done is counted in its {@link
 * DeliveryCounters}.
 */
final class HeartbeatLoop implements Runnable {

  /** First retry delay after a failed heartbeat; doubles per failure up to the cap. */
  static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(500);

  private final AgentConfig config;
  private final LogBuffer buffer;
  private final Outbox outbox;
  private final LoopRequests requests = new LoopRequests();
  private final Drops drops;
  private final DeliveryCounters counters = new DeliveryCounters();
  private final HeartbeatContents contents;
  private final Diagnostics diagnostics;
  private final Clock clock;

  // The heartbeat thread's own state.
  /** Where a loop on a thread of its own makes its calls; null on a shared scheduler. */
  private SendingThread sender;
  private int consecutiveFailures;
  private long nextBeatNanos = System.nanoTime();
  private long nextCutNanos = System.nanoTime();
  private long lastStatsPrintedAt = System.nanoTime();

  HeartbeatLoop(AgentConfig config, LogBuffer buffer, BatchQueue queue, Drops drops, Supplier<String> currentTask,
      Supplier<ComponentLevels> levels, Diagnostics diagnostics, String sessionId) {
    this.config = config;
    this.buffer = buffer;
    this.outbox = new Outbox(config, buffer, queue, drops, sessionId);
    this.drops = drops;
    this.contents = new HeartbeatContents(config, sessionId, buffer, outbox, drops, counters, currentTask, levels, diagnostics);
    this.diagnostics = diagnostics;
    this.clock = config.clock();
  }

  /** Runs the loop on a thread of its own until it is closed and has sent its final heartbeats. */
  @Override
  public void run() {
    sender = new SendingThread(Thread.currentThread().getName() + "-calls");
    try {
      while (!requests.isClosing()) {
        boolean delivered = activeRound();
        awaitNextRound(delivered);
      }
      finish();
    } finally {
      sender.close();
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

  /** What the loop has done so far. */
  DeliveryCounters counters() {
    return counters;
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
    DeliveryResult result = deliver(contents.of(status, batch));
    counters.heartbeatSent();
    return handle(result, batch);
  }

  private DeliveryResult deliver(Heartbeat heartbeat) {
    Transport transport = config.transport();
    if (transport == null) {
      return DeliveryResult.failed("no destination configured");
    }
    if (sender == null) {
      return transport.deliver(heartbeat);
    }
    // While the call waits on the store, records go on into the spool, so memory stays free.
    return sender.deliver(transport, heartbeat, () -> outbox.cutDue(false));
  }

  private boolean handle(DeliveryResult result, Batch batch) {
    switch (result.outcome()) {
      case STORED -> {
        if (batch != null) {
          counters.batchStored(batch.records().size());
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
    counters.retried();
    noteError(detail);
    nextBeatNanos = System.nanoTime() + retryDelay().toNanos();
    diagnostics.problem("delivery", "heartbeat for worker " + config.workerId() + " failed (" + detail + "); "
        + pendingRecords() + " records kept, retrying");
  }

  private void noteError(String detail) {
    counters.error(detail, clock.instant());
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
          "worker " + config.workerId() + " active (" + counters.heartbeats() + " heartbeats sent); "
              + "log buffer stats: current " + pendingRecords() + ", buffered " + buffer.totalBuffered()
              + ", flushes " + counters.flushes() + ", sent " + counters.sentRecords() + ", dropped " + drops.total()
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
