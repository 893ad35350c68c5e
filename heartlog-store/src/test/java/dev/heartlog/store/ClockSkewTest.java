package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A worker whose clock is off the store's (migration V12). Its records keep the times it gave
 * them; the store keeps how far off its clock is, says so, and counts its problems in the
 * store's time, so that a clock three hours behind does not hide this minute's errors from
 * fleet health's last hour.
 */
class ClockSkewTest {

  private static final Duration THREE_HOURS = Duration.ofHours(3);
  /** The network's delay and the test's own steps: a skew read back is this close to the one set. */
  private static final long SLACK_MS = 30_000;

  /**
   * One heartbeat as a heartlog agent whose clock reads {@code workerNow} sends it: an ERROR
   * stamped by that clock, and, in the heartbeat's metadata, that clock and the batch's problems
   * counted in its periods.
   */
  private static String heartbeatFrom(Store store, String worker, Instant workerNow) {
    long period = Math.floorDiv(workerNow.getEpochSecond(), 300);
    String logs = "[{\"timestamp\": \"" + workerNow + "\", \"level\": \"ERROR\", \"message\": \"CUDA out of memory\"}]";
    String metadata = "{\"sent_at_ms\": " + workerNow.toEpochMilli() + ", \"problem_counts\": [[" + period + ", 1, 0]]}";
    return store.withConnection(c -> TestDatabase.heartbeat(c, worker, logs, metadata));
  }

  private static WorkerHealth health(Store store, String worker) {
    return store.workers(Store.DEFAULT_STALE_AFTER).stream().filter(w -> w.id().equals(worker)).findFirst().orElseThrow();
  }

  private static Instant storedTime(Store store, String worker) {
    return store.withConnection(c -> {
      try (ResultSet rows = c.createStatement().executeQuery(
          "SELECT max(timestamp) FROM system_logs WHERE source_id = '" + worker + "'")) {
        rows.next();
        return rows.getTimestamp(1).toInstant();
      }
    });
  }

  @Test
  void aWorkerWhoseClockRunsHoursBehindHasThisMinutesErrorInItsLastHour() {
    Store store = TestDatabase.freshStore();
    Instant workerNow = Instant.now().minus(THREE_HOURS).truncatedTo(ChronoUnit.MILLIS);

    assertThat(heartbeatFrom(store, "slow-clock", workerNow)).contains("\"logs_inserted\": 1");

    WorkerHealth health = health(store, "slow-clock");
    assertThat(health.clockSkewMs()).isCloseTo(-THREE_HOURS.toMillis(), within(SLACK_MS));
    assertThat(health.clockSkewed()).isTrue();
    assertThat(health.errorsLastHour()).as("counted in the store's time").isEqualTo(1);
    assertThat(store.worker("slow-clock", 10, 10).orElseThrow().health().clockSkewMs())
        .as("the worker's page").isEqualTo(health.clockSkewMs());
    assertThat(storedTime(store, "slow-clock")).as("the record keeps the worker's time")
        .isEqualTo(workerNow);
  }

  @Test
  void aWorkerWhoseClockRunsAheadHasItsErrorCountedNowAndItsClockShown() {
    Store store = TestDatabase.freshStore();

    heartbeatFrom(store, "fast-clock", Instant.now().plus(THREE_HOURS));

    WorkerHealth health = health(store, "fast-clock");
    assertThat(health.clockSkewMs()).isCloseTo(THREE_HOURS.toMillis(), within(SLACK_MS));
    assertThat(health.errorsLastHour()).isEqualTo(1);
  }

  @Test
  void aWorkerOnTimeIsNotSkewed() {
    Store store = TestDatabase.freshStore();

    heartbeatFrom(store, "on-time", Instant.now());

    WorkerHealth health = health(store, "on-time");
    assertThat(health.clockSkewMs()).isNotNull();
    assertThat(health.clockSkewed()).as("skew %d ms", health.clockSkewMs()).isFalse();
    assertThat(health.errorsLastHour()).isEqualTo(1);
  }

  @Test
  void aHeartbeatThatDoesNotSayItsClockLeavesTheSkewUnknownAndIsStoredAllTheSame() {
    Store store = TestDatabase.freshStore();
    heartbeatFrom(store, "gpu-1", Instant.now().minus(THREE_HOURS));
    String record = "[{\"level\": \"INFO\", \"message\": \"polling\"}]";

    for (String metadata : new String[] {null, "{}", "{\"sent_at_ms\": \"yesterday\"}", "{\"sent_at_ms\": -5}",
        "{\"sent_at_ms\": 1e20}", "{\"sent_at_ms\": null}", "[1, 2]"}) {
      String answer = store.withConnection(c -> TestDatabase.heartbeat(c, "gpu-1", record, metadata));

      assertThat(answer).as(metadata).contains("\"success\": true", "\"logs_inserted\": 1");
      assertThat(health(store, "gpu-1").clockSkewMs()).as(metadata).isNull();
    }
  }

  @Test
  void theRecountOfEveryMigrationCountsASkewedWorkersRecordsInTheStoresTime() {
    Store store = TestDatabase.freshStore();
    heartbeatFrom(store, "slow-clock", Instant.now().minus(THREE_HOURS));
    heartbeatFrom(store, "slow-clock", Instant.now().minus(THREE_HOURS).plusSeconds(1));

    store.migrate();

    assertThat(health(store, "slow-clock").errorsLastHour()).isEqualTo(2);
  }

  @Test
  void theSkewedClocksAreTheWorkersOffByAtLeastTheGivenSkewTheFurthestFirst() {
    Store store = TestDatabase.freshStore();
    heartbeatFrom(store, "a-little-ahead", Instant.now().plus(Duration.ofMinutes(10)));
    heartbeatFrom(store, "far-behind", Instant.now().minus(THREE_HOURS));
    heartbeatFrom(store, "on-time", Instant.now());
    store.withConnection(c -> TestDatabase.heartbeat(c, "seed-worker", "[]"));

    Map<String, Long> skewed = store.skewedClocks(Duration.ofMinutes(1));

    assertThat(skewed.keySet()).containsExactly("far-behind", "a-little-ahead");
    assertThat(skewed.get("a-little-ahead")).isCloseTo(Duration.ofMinutes(10).toMillis(), within(SLACK_MS));
    assertThat(store.skewedClocks(Duration.ofHours(1))).containsOnlyKeys("far-behind");
  }

  @Test
  void aBatchTheStoreHadToCleanIsCountedInItsRecordsTimesNotMovedAsTheAgentsCountsAre() {
    // A clock 3 hours ahead, and a record whose time cannot be read: the store reads the batch
    // again, cleaning it, and counts its problems itself, a record stamped ahead counting now.
    Store store = TestDatabase.freshStore();
    Instant workerNow = Instant.now().plus(THREE_HOURS);
    String logs = "[{\"timestamp\": \"" + workerNow + "\", \"level\": \"ERROR\", \"message\": \"CUDA out of memory\"},"
        + " {\"timestamp\": \"not a time\", \"level\": \"INFO\", \"message\": \"frame 7\"}]";
    String metadata = "{\"sent_at_ms\": " + workerNow.toEpochMilli() + ", \"problem_counts\": [["
        + Math.floorDiv(workerNow.getEpochSecond(), 300) + ", 1, 0]]}";
    String answer = store.withConnection(c -> TestDatabase.heartbeat(c, "fast-clock", logs, metadata));

    assertThat(answer).contains("\"logs_inserted\": 2");

    assertThat(health(store, "fast-clock").errorsLastHour()).isEqualTo(1);
  }
}
