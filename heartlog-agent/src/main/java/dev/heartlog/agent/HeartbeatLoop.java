package dev.heartlog.agent;

import java.time.Duration;
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
 * made by its {@link HeartbeatContents}; what the loop does with each answer (settling,
 * retrying) is decided by its {@link Answers}. What other threads ask of it (a round, a flush,
 * the close) comes through its {@link LoopRequests}, and what it has done is counted in its
 * {@link DeliveryCounters}.
 *
 * <p>On a shared {@link HeartbeatScheduler} a round makes its call only when the scheduler has a
 * call free; otherwise its heartbeat waits in line ({@link SharedCalls}). While it waits, in line
 * or in its call, records are cut into the spool as they become due ({@link #cutWhileCalling()}
 * runs on another of the scheduler's threads). Without a spool a round takes its call before it
 * cuts, and waits in line with its records in memory: a cut would free nothing, and the batch
 * then sent carries all that waited.
 */
final class HeartbeatLoop implements Runnable {

  private final AgentConfig config;
  private final LogBuffer buffer;
  private final Outbox outbox;
  private final LoopRequests requests = new LoopRequests();
  private final Drops drops;
  private final DeliveryCounters counters = new DeliveryCounters();
  private final Answers answers;
  private final HeartbeatContents contents;
  private final Diagnostics diagnostics;

  // The heartbeat thread's own state.
  /**
   * Where a loop on a thread of its own makes its calls, so that it cuts records into the spool
   * meanwhile; null on a shared scheduler, and without a spool, where such a cut frees nothing.
   */
  private SendingThread sender;
  /** How a loop on a shared scheduler makes its calls; null on a thread of its own. */
  private SharedCalls shared;
  private long nextCutNanos = System.nanoTime();
  private long lastStatsPrintedAt = System.nanoTime();

  HeartbeatLoop(AgentConfig config, LogBuffer buffer, BatchQueue queue, Drops drops, Supplier<String> currentTask,
      Supplier<ComponentLevels> levels, Diagnostics diagnostics, String sessionId) {
    this.config = config;
    this.buffer = buffer;
    this.outbox = new Outbox(config, buffer, queue, drops, sessionId);
    this.drops = drops;
    this.answers = new Answers(config, buffer, outbox, drops, counters, diagnostics, sessionId);
    this.contents = new HeartbeatContents(config, sessionId, buffer, outbox, drops, counters, currentTask, levels, diagnostics);
    this.diagnostics = diagnostics;
  }

  /** Runs the loop on a thread of its own until it is closed and has sent its final heartbeats. */
  @Override
  public void run() {
    sender = cutsWhileWaiting() ? new SendingThread(Thread.currentThread().getName() + "-calls") : null;
    try {
      while (!requests.isClosing()) {
        boolean delivered = activeRound();
        awaitNextRound(delivered);
      }
      finish();
    } finally {
      if (sender != null) {
        sender.close();
      }
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
    shared.startRound();
    try {
      if (requests.isClosing()) {
        try {
          shared.leave();
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
      if (requests.takeBeatRequest()) {
        return 0;
      }
      long now = System.nanoTime();
      if (shared.waiting()) {
        // Woken when its call is free. Meanwhile only a spool's cut at the interval is due: without
        // a spool the round that has the call cuts, and a tick already due waits for it.
        long untilCut = nextCutNanos - now;
        return untilCut > 0 ? untilCut : config.heartbeatInterval().toNanos();
      }
      return Math.max(0, Math.min(answers.nextBeatNanos(), nextCutNanos) - now);
    } finally {
      shared.endRound();
    }
  }

  /**
   * Makes this loop's calls take turns with the other loops of a shared scheduler: {@code wake}
   * runs a round soon, and is called when a call was kept for this loop.
   */
  SharedCalls shareCalls(CallSlots calls, Runnable wake) {
    shared = new SharedCalls(calls, wake);
    return shared;
  }

  /** Whether records are cut while the heartbeat waits for its call or its answer: into a spool. */
  boolean cutsWhileWaiting() {
    return outbox.durable();
  }

  /**
   * Cuts the records that are due into the spool while this loop's call waits on the store; does
   * nothing when a round holds the loop. For another thread of a shared scheduler.
   */
  void cutWhileCalling() {
    if (!cutsWhileWaiting()) {
      return;
    }
    shared.cutMeanwhile(() -> {
      try {
        outbox.cutDue(false);
      } catch (RuntimeException | Error e) {   // as a round's: the scheduler's thread goes on
        diagnostics.info("cutting records while a heartbeat call waits failed: " + e);
      }
    });
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

  /**
   * Cuts everything left, then sends until nothing is left, the store fails, or time is up. A
   * drop counted as the last batches went (a spooled batch that could not be read back, or only
   * in part) is sent as its report too: before, it stayed unreported.
   */
  private void finish() {
    long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
    WorkerStatus status = requests.finalStatus();
    boolean delivered;
    do {
      delivered = round(status, true);
    } while (delivered && (outbox.oldest() != null || buffer.size() > 0 || drops.hasUnreported())
        && System.nanoTime() < deadline);
    int left = buffer.held();
    if (outbox.pendingBatches() > 0 && outbox.durable()) {
      int batches = outbox.pendingBatches();
      diagnostics.info(Diagnostics.count(batches, "batch", "batches") + (batches == 1 ? " stays" : " stay")
          + " in the spool for the next start of worker " + config.workerId());
    } else if (left > 0) {
      diagnostics.info(Diagnostics.count(left, "record", "records") + " of worker " + config.workerId()
          + " could not be delivered before shutdown");
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
    boolean holdsCall = false;
    try {
      long now = System.nanoTime();
      // On a shared scheduler calls take turns; final heartbeats do not wait for the others.
      boolean takesTurns = shared != null && !closingRound;
      if (takesTurns && !cutsWhileWaiting() && beatWillBeDue(now)) {
        // Without a spool a cut frees nothing: cut once the call is ours, so the batch carries all that waited.
        if (!shared.take()) {
          return false;
        }
        holdsCall = true;
      }
      boolean tick = closingRound || requests.takeFlushRequest() || now - nextCutNanos >= 0;
      if (tick) {
        nextCutNanos = now + config.heartbeatInterval().toNanos();
      }
      outbox.cutDue(tick);
      boolean beatDue =
          closingRound || now - answers.nextBeatNanos() >= 0 || (answers.healthy() && outbox.oldest() != null);
      if (!beatDue) {
        return false;
      }
      if (takesTurns && !holdsCall) {
        if (!shared.take()) {
          return false;
        }
        holdsCall = true;
      }
      return beat(status);
    } catch (RuntimeException | Error e) {
      // An Error too: an OutOfMemoryError when the worker's heap runs short (this thread
      // allocates a batch's megabytes at once), a NoSuchMethodError from a library of another
      // version on the worker's class path. It ended the loop, and a worker that went on
      // running sent no heartbeat again (ErrorInAHeartbeatTest). Its records stay for the next.
      answers.failed("heartbeat failed unexpectedly: " + e);
      return false;
    } finally {
      if (holdsCall) {
        shared.release();
      }
      requests.signalProgress();
    }
  }

  /** Whether this round will make a heartbeat call, judged before it cuts anything. */
  private boolean beatWillBeDue(long now) {
    boolean tick = requests.hasFlushRequest() || now - nextCutNanos >= 0;
    return now - answers.nextBeatNanos() >= 0 || (answers.healthy() && (outbox.oldest() != null || outbox.wouldCut(tick)));
  }

  /** One heartbeat call carrying the oldest unacknowledged batch, if any. */
  private boolean beat(WorkerStatus status) {
    Batch batch = outbox.oldest();
    DeliveryResult result = deliver(contents.of(status, batch));
    return answers.handle(result, batch);
  }

  private DeliveryResult deliver(Heartbeat heartbeat) {
    Transport transport = config.transport();
    if (transport == null) {
      return DeliveryResult.failed("no destination configured");
    }
    if (shared != null) {
      // Another of the scheduler's threads may cut records meanwhile (cutWhileCalling).
      return shared.deliver(transport, heartbeat);
    }
    if (sender != null) {
      // While the call waits on the store, records go on into the spool, so memory stays free.
      return sender.deliver(transport, heartbeat, () -> outbox.cutDue(false));
    }
    return transport.deliver(heartbeat);
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
              + "log buffer stats: current " + buffer.held() + ", buffered " + buffer.totalBuffered()
              + ", flushes " + counters.flushes() + ", sent " + counters.sentRecords() + ", dropped " + drops.total()
              + ", repeats counted " + buffer.totalRepeatsCounted() + ", spooled batches " + outbox.pendingBatches());
    }
  }

  /** Waits for the next heartbeat or cut, or a request; returns at once while a backlog drains. */
  private void awaitNextRound(boolean delivered) {
    if (hasBacklog(delivered)) {
      return;
    }
    requests.awaitRequest(Math.min(answers.nextBeatNanos(), nextCutNanos));
  }

  /** Whether the next round should follow at once: the store takes batches and more wait. */
  private boolean hasBacklog(boolean delivered) {
    return delivered && (outbox.oldest() != null || buffer.isDue());
  }
}
