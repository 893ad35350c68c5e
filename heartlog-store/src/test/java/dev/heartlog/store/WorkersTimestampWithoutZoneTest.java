package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An orchestrator's {@code workers.last_heartbeat} of type {@code timestamp}, without a zone:
 * heartbeats write it in UTC, and fleet health reads it so, whatever zone heartlog's sessions are
 * in. pgjdbc gives each session the JVM's zone: on a machine in New York or Berlin a worker that
 * had just sent a heartbeat read 5 hours in the future, or an hour stale.
 */
class WorkersTimestampWithoutZoneTest {

  private String url;
  private Store store;

  @BeforeEach
  void orchestratorsTableThenMigrate() throws SQLException {
    url = TestDatabase.freshUrl();
    TestDatabase.execute(url, "CREATE TABLE workers (id text PRIMARY KEY, "
        + "status text NOT NULL DEFAULT 'spawning' CHECK (status IN ('spawning', 'active', 'crashed')), "
        + "last_heartbeat timestamp, vram_total_mb int, vram_used_mb int, current_task_id text)");
    store = Store.open(url, null, null);
    store.migrate();
  }

  @Test
  void aWorkerThatJustSentAHeartbeatIsActiveAndSecondsAgoInSessionsOfOtherZones() throws Exception {
    TestDatabase.execute(url, "SELECT func_worker_heartbeat_with_logs('gpu-1', 81559, 20000, '[]'::jsonb)");

    for (String zone : new String[] {"America/New_York", "Europe/Berlin", "Asia/Kolkata"}) {
      WorkerHealth seen = inZone(zone, () -> store.workers(Duration.ofMinutes(1)).get(0));
      WorkerHealth alone = inZone(zone, () -> store.workerHealth("gpu-1").orElseThrow());

      assertThat(seen.health()).as(zone).isEqualTo("active");
      assertThat(seen.heartbeatAgeSeconds()).as(zone).isBetween(0L, 30L);
      assertThat(seen.lastHeartbeat()).as(zone).isCloseTo(Instant.now(), within(30, ChronoUnit.SECONDS));
      assertThat(alone).as(zone).extracting(WorkerHealth::health, WorkerHealth::lastHeartbeat)
          .containsExactly(seen.health(), seen.lastHeartbeat());
    }
    assertThat(TestDatabase.single(url, "SELECT (abs(extract(epoch FROM (now() AT TIME ZONE 'UTC') - last_heartbeat)) < 30)::text "
        + "FROM workers")).as("written in UTC").isEqualTo("true");
  }

  @Test
  void aRefusedHeartbeatNewerThanTheRowShowsTheWorkerFromItsHeartbeatsInASessionWestOfUtc() throws Exception {
    TestDatabase.execute(url, "SELECT func_worker_heartbeat_with_logs('gpu-1', NULL, NULL, '[]'::jsonb)");
    TestDatabase.execute(url, "SELECT func_worker_heartbeat_with_logs(worker_id_param => 'gpu-1', "
        + "logs_param => '[]'::jsonb, status_param => 'stopped')");

    // Read in New York's zone, the row's time was 5 hours later than the refusal.
    WorkerHealth seen = inZone("America/New_York", () -> store.workers(Duration.ofMinutes(1)).get(0));

    assertThat(seen.health()).isEqualTo("stopped");
    assertThat(seen.workerRowError()).contains("workers_status_check");
  }

  @Test
  void theSeedsPatchWritesItsTimeInUtcFromASessionOfAnotherZone() throws Exception {
    TestDatabase.execute(url, "INSERT INTO workers (id) VALUES ('patched'), ('patched-now')");

    inZone("America/New_York", () -> {
      store.updateWorker("patched", Map.of("last_heartbeat", "2026-11-30T10:00:00+01:00"), false, null);
      return store.updateWorker("patched-now", Map.of("status", "active"), false, null);
    });

    assertThat(TestDatabase.single(url, "SELECT to_char(last_heartbeat, 'YYYY-MM-DD HH24:MI:SS') FROM workers "
        + "WHERE id = 'patched'")).isEqualTo("2026-11-30 09:00:00");
    assertThat(inZone("America/New_York", () -> store.workerHealth("patched-now").orElseThrow().heartbeatAgeSeconds()))
        .isBetween(0L, 30L);
  }

  /** What {@code read} gives with the JVM, and so each new session, in {@code zone}. */
  private static <T> T inZone(String zone, Callable<T> read) throws Exception {
    TimeZone machines = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone(zone));
    try {
      return read.call();
    } finally {
      TimeZone.setDefault(machines);
    }
  }
}
