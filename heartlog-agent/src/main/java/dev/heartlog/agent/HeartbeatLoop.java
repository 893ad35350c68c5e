package dev.heartlog.agent;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The heartbeat thread's work: every interval (or at once when the buffer reaches its flush
 * threshold) it reads GPU memory, takes a batch of records and makes one heartbeat call.
 *
 * <p>One batch is in flight at a time and leaves memory only when the store acknowledged it; a
 * failed call keeps the batch, with its batch number, for the next attempt. While the store is
 * away, attempts back off exponentially (with jitter) up to the heartbeat interval.
 */
final class HeartbeatLoop implements Runnable {

  /** First retry delay after a failed heartbeat; doubles per failure up to the interval. */
  static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(500);

  private final AgentConfig config;
  private final LogBuffer buffer;
  private final Supplier<String> currentTask;
  private final LongSupplier nextRecordSequence;
  private final Diagnostics diagnostics;
  private final Clock clock;
  private final String sessionId;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final Condition progress = lock.newCondition();
  // Guarded by lock.
  private boolean beatRequested;
  private boolean closing;
  private WorkerStatus finalStatus = WorkerStatus.STOPPED;

  // Written by the heartbeat thread only; volatile where other threads read them.
  private volatile Batch inFlight;
  private long batchSequence;
  private int consecutiveFailures;
  private String lastGpuProblem;
  private long lastStatsPrintedAt;

  private final AtomicLong heartbeatsSent = new AtomicLong();
  private final AtomicLong flushes = new AtomicLong();
  private final AtomicLong sentRecords = new AtomicLong();
  private final AtomicLong sentBufferedRecords = new AtomicLong();

  /** A batch: records taken from the buffer, plus a drop report when drops were waiting. */
  private record Batch(long sequence, List<LogRecord> records, List<LogRecord> fromBuffer) {}

  HeartbeatLoop(
      AgentConfig config,
      LogBuffer buffer,
      Supplier<String> currentTask,
      LongSupplier nextRecordSequence,
      Diagnostics diagnostics,
      String sessionId) {
    this.config = config;
    this.buffer = buffer;
    this.currentTask = currentTask;
    this.nextRecordSequence = nextRecordSequence;
    this.diagnostics = diagnostics;
    this.clock = config.clock();
    this.sessionId = sessionId;
  }

  @Override
  public void run() {
    lastStatsPrintedAt = System.nanoTime();
    while (!isClosing()) {
      boolean delivered = beat(WorkerStatus.ACTIVE);
      printStatsWhenDue();
      awaitNextBeat(delivered);
    }
    finish();
  }

  /** Asks for a heartbeat now (the buffer reached its flush threshold, or a flush was asked). */
  void requestBeat() {
    lock.lock();
    try {
      beatRequested = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
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
  }

  /**
   * Waits until every record buffered before this call has been acknowledged by the store.
   *
   * @return {@code false} when the timeout passed first
   */
  boolean awaitDelivered(long bufferedBefore, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (sentBufferedRecords.get() < bufferedBefore) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return false;
        }
        beatRequested = true;
        wake.signalAll();
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

  /** Sends final heartbeats with the closing status until nothing is left or time is up. */
  private void finish() {
    long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
    WorkerStatus status = finalStatusSnapshot();
    do {
      if (!beat(status)) {
        return;
      }
    } while ((inFlight != null || buffer.size() > 0) && System.nanoTime() < deadline);
  }

  /** One heartbeat call. Never throws: a scheduled loop that throws stops heartbeating. */
  private boolean beat(WorkerStatus status) {
    try {
      Batch batch = inFlight != null ? inFlight : takeBatch();
      inFlight = batch;
      GpuReading gpu = readGpu();
      Heartbeat heartbeat =
          new Heartbeat(
              config.workerId(),
              sessionId,
              batch == null ? null : batch.sequence(),
              status,
              gpu.totalMb(),
              gpu.usedMb(),
              currentTask.get(),
              batch == null ? List.of() : batch.records(),
              heartbeatMetadata(gpu));
      DeliveryResult result = deliver(heartbeat);
      heartbeatsSent.incrementAndGet();
      return handle(result, batch);
    } catch (RuntimeException e) {
      diagnostics.problem("beat", "heartbeat failed unexpectedly: " + e);
      consecutiveFailures++;
      return false;
    } finally {
      signalProgress();
    }
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
          sentBufferedRecords.addAndGet(batch.fromBuffer().size());
          buffer.release(batch.fromBuffer());
          inFlight = null;
        }
        if (consecutiveFailures > 0) {
          diagnostics.info("store reachable again for worker " + config.workerId());
        }
        consecutiveFailures = 0;
        diagnostics.resolved("delivery");
        return true;
      }
      case HEARTBEAT_ONLY -> {
        consecutiveFailures = 0;
        diagnostics.problem(
            "function-missing",
            result.detail() + "; heartbeat sent without records, " + pendingRecords() + " records kept");
        return false;
      }
      default -> {
        consecutiveFailures++;
        diagnostics.problem(
            "delivery",
            "heartbeat for worker " + config.workerId() + " failed (" + result.detail() + "); "
                + pendingRecords() + " records kept, retrying");
        return false;
      }
    }
  }

  private Batch takeBatch() {
    List<LogRecord> fromBuffer = buffer.drain(config.maxBatchRecords(), config.maxBatchBytes());
    List<LogRecord> records = fromBuffer;
    long drops = buffer.takeUnreportedDrops();
    if (drops > 0) {
      records = new ArrayList<>(fromBuffer);
      records.add(dropReport(drops));
    }
    return records.isEmpty() ? null : new Batch(++batchSequence, records, fromBuffer);
  }

  private LogRecord dropReport(long drops) {
    return new LogRecord(
        clock.instant(),
        nextRecordSequence.getAsLong(),
        Level.WARNING,
        "heartlog dropped " + drops + " records: buffer full while the store was unreachable",
        null,
        Map.of("heartlog_dropped", drops, "reason", "buffer_full"));
  }

  private GpuReading readGpu() {
    GpuReading reading = config.gpuProbe().read();
    String problem = reading.problem();
    if (problem != null && !problem.equals(lastGpuProblem)) {
      diagnostics.info("GPU memory not available (" + problem + "); heartbeats carry nulls");
    } else if (problem == null && lastGpuProblem != null) {
      diagnostics.info("GPU memory readable again");
    }
    lastGpuProblem = problem;
    return reading;
  }

  private Map<String, Object> heartbeatMetadata(GpuReading gpu) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("agent", "heartlog-java");
    metadata.put("buffered", buffer.size());
    metadata.put("total_buffered", buffer.totalBuffered());
    metadata.put("total_sent", sentRecords.get());
    metadata.put("total_dropped", buffer.totalDropped());
    metadata.put("gpus_counted", gpu.gpusCounted());
    if (gpu.problem() != null) {
      metadata.put("gpu_problem", gpu.problem());
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
              + "log buffer stats: current " + pendingRecords() + ", buffered "
              + buffer.totalBuffered() + ", flushes " + flushes.get() + ", sent " + sentRecords.get()
              + ", dropped " + buffer.totalDropped());
    }
  }

  private void awaitNextBeat(boolean delivered) {
    boolean backlog = delivered && buffer.isDue();
    if (backlog) {
      return;
    }
    boolean backingOff = consecutiveFailures > 0;
    long waitNanos = backingOff ? retryDelay().toNanos() : config.heartbeatInterval().toNanos();
    long deadline = System.nanoTime() + waitNanos;
    lock.lock();
    try {
      while (!closing) {
        if (beatRequested && !backingOff) {
          break;
        }
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

  private Duration retryDelay() {
    long base = FIRST_RETRY_DELAY.toMillis() << Math.min(consecutiveFailures - 1, 16);
    long capped = Math.min(base, config.heartbeatInterval().toMillis());
    double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
    return Duration.ofMillis(Math.max(1, (long) (capped * jitter)));
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
