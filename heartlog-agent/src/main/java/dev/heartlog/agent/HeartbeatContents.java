package dev.heartlog.agent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What one heartbeat says besides its batch: the GPU's memory, the current task, and the agent's
 * own state in its metadata (buffer, drops, spool, retries, the levels kept), so that whoever
 * reads a worker's heartbeats can tell why records are missing. The heartbeat thread's.
 */
final class HeartbeatContents {

  /** A GPU reading that took this long is taken again only after this many times as long. */
  private static final long SLOW_READING_FACTOR = 60;

  private final AgentConfig config;
  private final String sessionId;
  private final LogBuffer buffer;
  private final Outbox outbox;
  private final Drops drops;
  private final DeliveryCounters counters;
  private final Supplier<String> currentTask;
  private final Supplier<ComponentLevels> levels;
  private final Diagnostics diagnostics;
  private String lastGpuProblem;
  private GpuReading lastReading;
  private long nextReadingNanos;   // when the GPU is read again; until then heartbeats carry lastReading

  HeartbeatContents(AgentConfig config, String sessionId, LogBuffer buffer, Outbox outbox, Drops drops,
      DeliveryCounters counters, Supplier<String> currentTask, Supplier<ComponentLevels> levels, Diagnostics diagnostics) {
    this.config = config;
    this.sessionId = sessionId;
    this.buffer = buffer;
    this.outbox = outbox;
    this.drops = drops;
    this.counters = counters;
    this.currentTask = currentTask;
    this.levels = levels;
    this.diagnostics = diagnostics;
  }

  /** The heartbeat of this moment, carrying {@code batch} (null: none). */
  Heartbeat of(WorkerStatus status, Batch batch) {
    GpuReading gpu = readGpu();
    return new Heartbeat(
        config.workerId(),
        batch == null ? sessionId : batch.sessionId(),
        batch == null ? null : batch.sequence(),
        status,
        gpu.totalMb(),
        gpu.usedMb(),
        currentTask.get(),
        batch == null ? List.of() : batch.records(),
        metadata(gpu, batch),
        batch == null ? "[]" : batch.logsJson());
  }

  /**
   * The GPU's memory, read at most once a heartbeat interval: the heartbeats of a burst, sent back
   * to back, carry the interval's reading. nvidia-smi takes a tenth of a second on a healthy
   * machine, and on one whose driver is wedged it hangs until its timeout (5 s): read for every
   * heartbeat, it held up a burst's delivery 5 s a batch, and the buffer dropped what came
   * meanwhile. A reading that took long is taken again only after 60 times as long (5 minutes
   * after a timeout), so that the GPU costs the heartbeat thread at most about 2% of its time.
   */
  private GpuReading readGpu() {
    long start = System.nanoTime();
    if (lastReading != null && start - nextReadingNanos < 0) {
      return lastReading;
    }
    GpuReading reading = config.gpuProbe().read();
    long took = System.nanoTime() - start;
    nextReadingNanos = start + Math.max(config.heartbeatInterval().toNanos(), took * SLOW_READING_FACTOR);
    lastReading = reading;
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

  private Map<String, Object> metadata(GpuReading gpu, Batch batch) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("agent", "heartlog-java");
    metadata.put("session_id", sessionId);
    // The worker's clock as it sends: the store keeps how far it is from its own, which fleet
    // health shows and its counts of the worker's problems allow for (a clock hours behind put
    // this minute's errors hours back, out of the last hour).
    metadata.put("sent_at_ms", config.clock().millis());
    metadata.put("buffered", buffer.held());
    metadata.put("total_buffered", buffer.totalBuffered());
    metadata.put("total_sent", counters.sentRecords());
    long sentFromEarlierRuns = counters.sentEarlierRunRecords();
    if (sentFromEarlierRuns > 0) {
      metadata.put("total_sent_from_earlier_runs", sentFromEarlierRuns);
    }
    metadata.put("total_dropped", drops.total());
    metadata.put("dropped_by_reason", drops.totalsByReason());
    long repeatsCounted = buffer.totalRepeatsCounted();
    if (repeatsCounted > 0) {
      metadata.put("total_repeats_counted", repeatsCounted);
    }
    metadata.put("spooled_batches", outbox.pendingBatches());
    metadata.put("spooled_bytes", outbox.pendingBytes());
    metadata.put("retries", counters.retries());
    if (counters.lastError() != null) {
      metadata.put("last_error", counters.lastError());
      metadata.put("last_error_at", counters.lastErrorAt().toString());
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
}
