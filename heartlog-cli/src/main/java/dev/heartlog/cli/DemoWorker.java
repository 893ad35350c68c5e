package dev.heartlog.cli;

import dev.heartlog.agent.Heartlog;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.WorkerLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated GPU worker of {@code heartlog demo}: it claims tasks, renders them in steps and
 * logs through all three capture paths (SLF4J/Logback, java.util.logging and the WorkerLog
 * facade), as a real worker mixing libraries would. A worker built with {@code failFirstTask}
 * fails its first task with an exception.
 */
final class DemoWorker implements Runnable {

  private static final String[] MODELS = {"wan2.1-t2v-14B", "wan2.1-i2v-480p", "hunyuan-video"};
  private static final int STEPS = 8;
  private static final int FAILING_STEP = 6;

  private final HeartlogAgent agent;
  private final SimulatedGpu gpu;
  private final Instant end;
  private final boolean failFirstTask;
  private final long stepMillis;
  private final Duration beat;
  private final Random random;
  private final List<String> tasks = new ArrayList<>();
  private volatile String failedTask;

  DemoWorker(HeartlogAgent agent, SimulatedGpu gpu, Instant end, boolean failFirstTask, long stepMillis, Duration beat,
      long seed) {
    this.agent = agent;
    this.gpu = gpu;
    this.end = end;
    this.failFirstTask = failFirstTask;
    this.stepMillis = stepMillis;
    this.beat = beat;
    this.random = new Random(seed);
  }

  @Override
  public void run() {
    String id = agent.workerId();
    Logger slf4j = LoggerFactory.getLogger("demo.worker." + id);
    java.util.logging.Logger jul = java.util.logging.Logger.getLogger("demo.pipeline." + id);
    WorkerLog log = WorkerLog.of(agent);
    try (Heartlog.Binding binding = Heartlog.bind(agent)) {
      log.status("worker", "Worker started, polling for tasks");
      while (Instant.now().isBefore(end) && !Thread.currentThread().isInterrupted()) {
        runTask(slf4j, jul, log, tasks.isEmpty() && failFirstTask);
        log.status("worker", "Worker idle, polling for tasks");
        pause(stepMillis);
      }
      log.status("worker", "Worker shutting down after " + tasks.size() + (tasks.size() == 1 ? " task" : " tasks"));
    }
  }

  private void runTask(Logger slf4j, java.util.logging.Logger jul, WorkerLog log, boolean fail) {
    String task = UUID.randomUUID().toString();
    String model = MODELS[random.nextInt(MODELS.length)];
    tasks.add(task);
    agent.startTask(task);
    long flushesAtStart = agent.stats().totalFlushes();
    try {
      log.essential("worker", "Claimed task, starting generation");
      int frames = 49 + 16 * random.nextInt(3);
      // SLF4J's fluent API: the key-value pairs become the record's metadata (heartlog logs --meta).
      slf4j.atInfo().addKeyValue("model", model).addKeyValue("frames", frames)
          .log("Loading model {} ({} frames at 480p)", model, frames);
      slf4j.debug("Sampler: unipc, 30 steps, guidance 5.0");
      jul.info("Prompt encoded with T5 text encoder");
      gpu.use(18_000 + random.nextInt(6_000));
      for (int step = 1; step <= STEPS; step++) {
        pause(stepMillis);
        gpu.use(gpu.used() + 2_000 + random.nextInt(3_000));
        log.progress("generator", "Denoising step " + step + "/" + STEPS, task);
        if (fail && step == FAILING_STEP) {
          awaitAHeartbeatDuringTheTask(flushesAtStart);
          gpu.use(SimulatedGpu.TOTAL_MB - 300);
          IllegalStateException error =
              new IllegalStateException("CUDA out of memory. Tried to allocate 2.00 GiB (simulated)");
          slf4j.warn("VRAM nearly full before VAE decode: {} MiB free", SimulatedGpu.TOTAL_MB - gpu.used());
          log.error("worker", "Generation failed: CUDA out of memory", task, error);
          failedTask = task;
          return;
        }
        if (step == STEPS - 1 && random.nextInt(4) == 0) {
          slf4j.warn("Slow step: {} ms, the GPU may be throttling", stepMillis * 3);
        }
      }
      jul.info("Video encoded, uploading result");
      log.success("worker", "Task complete in " + (STEPS * stepMillis) + " ms");
    } finally {
      agent.endTask();
      gpu.use(1_200 + random.nextInt(400));
    }
  }

  /**
   * Waits until a heartbeat sent after the task began has been acknowledged (the second since it
   * began), so that the failed task's page always shows its VRAM. On a loaded machine a heartbeat
   * can come later than its interval, and the task would otherwise fail between two of them.
   */
  private void awaitAHeartbeatDuringTheTask(long flushesAtStart) {
    long deadline = System.nanoTime() + 3 * beat.toNanos();
    while (agent.stats().totalFlushes() < flushesAtStart + 2 && System.nanoTime() < deadline) {
      pause(10);
    }
  }

  List<String> tasks() {
    return tasks;
  }

  String failedTask() {
    return failedTask;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
