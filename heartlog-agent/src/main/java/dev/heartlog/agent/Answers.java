package dev.heartlog.agent;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a {@link HeartbeatLoop} does with the store's answer to a heartbeat: settles the batch it
 * carried (stored, or refused for good and counted as dropped), counts it, says what went wrong,
 * and sets when the next heartbeat is due: one interval after a success, and after a failure
 * exponentially later with jitter, up to the maximum retry delay (or the store's {@code
 * Retry-After}). Used by the heartbeat thread only.
 */
final class Answers {

  /** First retry delay after a failed heartbeat; doubles per failure up to the cap. */
  static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(500);

  private final AgentConfig config;
  private final LogBuffer buffer;
  private final Outbox outbox;
  private final Drops drops;
  private final DeliveryCounters counters;
  private final Diagnostics diagnostics;
  private final Clock clock;
  private final String sessionId;
  private int consecutiveFailures;
  private long nextBeatNanos = System.nanoTime();

  Answers(AgentConfig config, LogBuffer buffer, Outbox outbox, Drops drops, DeliveryCounters counters, Diagnostics diagnostics,
      String sessionId) {
    this.config = config;
    this.sessionId = sessionId;
    this.buffer = buffer;
    this.outbox = outbox;
    this.drops = drops;
    this.counters = counters;
    this.diagnostics = diagnostics;
    this.clock = config.clock();
  }

  /** When the next heartbeat is due ({@link System#nanoTime}). */
  long nextBeatNanos() {
    return nextBeatNanos;
  }

  /** Whether the last heartbeat reached the store: a backlog is then sent without waiting. */
  boolean healthy() {
    return consecutiveFailures == 0;
  }

  /**
   * Counts a heartbeat made, settles {@code batch} after the store's answer, and sets when the
   * next heartbeat is due.
   *
   * @return whether the store took the heartbeat and its batch (or refused the batch for good)
   */
  boolean handle(DeliveryResult result, Batch batch) {
    counters.heartbeatSent();
    switch (result.outcome()) {
      case STORED -> {
        if (batch != null) {
          counters.batchStored(batch.records().size(), !sessionId.equals(batch.sessionId()));
          outbox.settle(batch);
        }
        if (consecutiveFailures > 0) {
          diagnostics.info("store reachable again for worker " + config.workerId());
        }
        consecutiveFailures = 0;
        nextBeatNanos = System.nanoTime() + config.heartbeatInterval().toNanos();
        diagnostics.resolved("delivery");
        if (result.detail() != null) {
          noteError(result.detail());
          diagnostics.problem("worker-row", "heartbeat for worker " + config.workerId() + " stored its records, but "
              + result.detail());
        }
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
        diagnostics.problem("function-missing",
            result.detail() + "; kept: " + kept());
        return false;
      }
      default -> {
        failed(result.detail());
        if (result.retryAfter() != null) {
          nextBeatNanos = Math.max(nextBeatNanos, System.nanoTime() + result.retryAfter().toNanos());
        }
        return false;
      }
    }
  }

  /** A heartbeat call that failed: retry later, exponentially later after each failure. */
  void failed(String detail) {
    consecutiveFailures++;
    counters.retried();
    noteError(detail);
    nextBeatNanos = System.nanoTime() + retryDelay().toNanos();
    diagnostics.problem("delivery", "heartbeat for worker " + config.workerId() + " failed (" + detail + "); kept: "
        + kept() + "; retrying");
  }

  /**
   * What waits for the store: the records in memory, and the batches in the spool where there is
   * one. The records alone said "0 records kept" while the failed batch lay safe in the spool.
   */
  private String kept() {
    String inMemory = Diagnostics.count(buffer.held(), "record", "records") + " in memory";
    int spooled = outbox.durable() ? outbox.pendingBatches() : 0;
    return spooled == 0 ? inMemory : inMemory + ", " + Diagnostics.count(spooled, "batch", "batches") + " in the spool";
  }

  private void noteError(String detail) {
    counters.error(detail, clock.instant());
  }

  private Duration retryDelay() {
    long base = FIRST_RETRY_DELAY.toMillis() << Math.min(consecutiveFailures - 1, 20);
    long capped = Math.min(base, config.maxRetryDelay().toMillis());
    double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
    return Duration.ofMillis(Math.max(1, (long) (capped * jitter)));
  }
}
