package dev.heartlog.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.heartlog.agent.GpuReading;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.Level;
import dev.heartlog.store.LogFilter;
import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import dev.heartlog.store.WorkerHealth;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fleet health's warnings and errors of the last hour, for a worker whose agent counts its
 * batches' problems itself (the store then adds the agent's counts instead of counting the
 * records): they must say what counting the stored records says.
 */
@Timeout(60)
class FleetHealthCountsTest {

  private static final Level[] LEVELS = Level.values();

  @Test
  void theAgentsCountsMatchTheStoredRecords() {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Random random = new Random(20261128);

    try (HeartlogAgent agent = HeartlogAgent.builder()
        .workerId("gpu-1")
        .transport(JdbcTransport.builder().url(url).build())
        .gpuProbe(() -> new GpuReading(81559, 23017, List.of(0), null))
        .heartbeatInterval(Duration.ofMillis(100))
        .noSpool()
        .shutdownHook(false)
        .diagnostics(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
        .build()) {
      for (int batch = 0; batch < 8; batch++) {
        for (int i = 0; i < 40; i++) {
          // From two hours ago to five minutes ahead (a clock that runs fast), in any order;
          // never within a minute of "an hour ago", where the seconds this test takes decide.
          long ageSeconds = random.nextInt(7_500) - 300;
          if (Math.abs(ageSeconds - 3_600) < 60) {
            ageSeconds += 120;
          }
          agent.log(Instant.now().minusSeconds(ageSeconds), LEVELS[random.nextInt(LEVELS.length)], "r" + i, null, Map.of());
        }
        assertThat(agent.flush(Duration.ofSeconds(20))).isTrue();
      }
    }

    List<Long> counted = store.withConnection(c -> {
      try (ResultSet rows = c.createStatement().executeQuery("""
          SELECT count(*) FILTER (WHERE level IN ('ERROR', 'CRITICAL')), count(*) FILTER (WHERE level = 'WARNING')
          FROM system_logs WHERE source_id = 'gpu-1' AND timestamp >= now() - interval '1 hour'""")) {
        rows.next();
        return List.of(rows.getLong(1), rows.getLong(2));
      }
    });
    long batchesWithCounts = store.withConnection(c -> {
      try (ResultSet rows = c.createStatement().executeQuery(
          "SELECT count(*) FROM worker_heartbeats WHERE records > 0 AND jsonb_typeof(metadata -> 'problem_counts') = 'array'")) {
        rows.next();
        return rows.getLong(1);
      }
    });
    WorkerHealth worker = store.workers(Store.DEFAULT_STALE_AFTER).get(0);

    assertThat(batchesWithCounts).as("heartbeats that carried the agent's counts").isGreaterThanOrEqualTo(8);
    assertThat(counted.get(0) + counted.get(1)).isPositive();
    assertThat(List.of(worker.errorsLastHour(), worker.warningsLastHour())).isEqualTo(counted);
  }

  @Test
  void aWorkerWhoseClockRunsThreeHoursBehindHasItsErrorInTheLastHourAndItsClockShown() {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Duration behind = Duration.ofHours(3);

    try (HeartlogAgent agent = HeartlogAgent.builder()
        .workerId("gpu-1")
        .transport(JdbcTransport.builder().url(url).build())
        .clock(Clock.offset(Clock.systemUTC(), behind.negated()))
        .heartbeatInterval(Duration.ofMillis(100))
        .noSpool()
        .shutdownHook(false)
        .diagnostics(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
        .build()) {
      agent.log(Level.ERROR, "CUDA out of memory", null, Map.of());
      assertThat(agent.flush(Duration.ofSeconds(20))).isTrue();
    }

    WorkerHealth worker = store.workers(Store.DEFAULT_STALE_AFTER).get(0);
    assertThat(worker.clockSkewMs()).isCloseTo(-behind.toMillis(), within(30_000L));
    assertThat(worker.errorsLastHour()).isEqualTo(1);
    assertThat(store.logs(new LogFilter(null, null, null, Instant.now().minus(Duration.ofHours(1)), null, null, 10)))
        .as("its record keeps its time").isEmpty();
  }
}
