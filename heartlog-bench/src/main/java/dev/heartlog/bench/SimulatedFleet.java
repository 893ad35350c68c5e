package dev.heartlog.bench;

import dev.heartlog.agent.AgentStats;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulated workers' logging for {@link FleetLoad}: each tick, each worker logs as its rate
 * says, 100 records per 20 s on average, and a few workers a second log a burst of 1,000.
 */
final class SimulatedFleet {

  /** How often the producers tick. */
  static final long TICK_MILLIS = 100;
  /** Mean records per worker per second: 100 per 20 s. */
  private static final double RECORDS_PER_SECOND = 5.0;
  /** Workers per second that log a burst, per 10,000 workers. */
  private static final double BURSTS_PER_SECOND_PER_10K = 5;
  private static final int BURST = 1_000;

  private final List<HeartlogAgent> agents;
  private final AtomicLong logged;

  SimulatedFleet(List<HeartlogAgent> agents, AtomicLong logged) {
    this.agents = agents;
    this.logged = logged;
  }

  void tick(int part, int parts) {
    List<HeartlogAgent> started;
    synchronized (agents) {
      started = new ArrayList<>(agents);
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    double perTick = RECORDS_PER_SECOND * TICK_MILLIS / 1000.0;
    long count = 0;
    for (int i = part; i < started.size(); i += parts) {
      HeartlogAgent agent = started.get(i);
      // 0.5 records per tick on average: one with probability 0.5.
      if (random.nextDouble() < perTick) {
        log(agent, i, random);
        count++;
      }
    }
    double bursts = BURSTS_PER_SECOND_PER_10K * started.size() / 10_000.0 * TICK_MILLIS / 1000.0 / parts;
    if (!started.isEmpty() && random.nextDouble() < bursts) {
      int i = random.nextInt(started.size());
      for (int r = 0; r < BURST; r++) {
        log(started.get(i), i, random);
      }
      count += BURST;
    }
    logged.addAndGet(count);
  }

  private static void log(HeartlogAgent agent, int worker, ThreadLocalRandom random) {
    Level level = random.nextInt(50) == 0 ? Level.ERROR : random.nextInt(12) == 0 ? Level.WARNING : Level.INFO;
    String task = "task-" + worker + "-" + (System.currentTimeMillis() / 120_000);
    agent.log(level, IngestBatches.message(random), task,
        Map.of("logger", "wgp.generator", "thread", "render-" + random.nextInt(8), "component", "GENERATOR"));
  }

  Snapshot snapshot(AtomicLong logged) {
    List<HeartlogAgent> started;
    synchronized (agents) {
      started = new ArrayList<>(agents);
    }
    long held = 0;
    long sent = 0;
    long dropped = 0;
    long heartbeats = 0;
    for (HeartlogAgent agent : started) {
      AgentStats stats = agent.stats();
      held += stats.currentBufferSize();
      sent += stats.totalSent();
      dropped += stats.totalDropped();
      heartbeats += agent.heartbeatsSent();
    }
    return new Snapshot(System.nanoTime(), logged.get(), held, sent, dropped, heartbeats);
  }

  /** The fleet's counters at one moment. */
  record Snapshot(long nanos, long logged, long held, long sent, long dropped, long heartbeats) {}
}
