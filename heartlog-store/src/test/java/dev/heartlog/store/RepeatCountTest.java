package dev.heartlog.store;

import static dev.heartlog.store.TestRecords.record;
import static dev.heartlog.store.TestRecords.withMetadata;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A flood of one error counted in one record ({@code repeated 4990 more times: ...}, as the agent
 * and heartlog run make it) counts as the errors it stands for wherever the store counts errors:
 * the task list, a task's page, a worker's tasks, fleet health. Before, only {@code heartlog
 * errors} did, and a worker whose retry loop logged 5,000 errors showed 12.
 */
class RepeatCountTest {

  private static final String RETRYING = "connection to redis:6379 refused, retrying";
  /** The errors of {@link #flood}: ten kept, 4,990 counted, two that only look like a count. */
  private static final long FLOOD_ERRORS = 5_002;

  /**
   * A retry loop's flood in {@code task} at {@code at}, as an agent sends it: its first ten errors
   * kept, the rest counted in one record; then two errors that only read like a count (one with
   * another number in its metadata), and an INFO.
   */
  private static List<String> flood(Instant at, String task) {
    List<String> records = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      records.add(record(at.plusMillis(i), "ERROR", RETRYING, task));
    }
    records.add(withMetadata(at.plusMillis(300), "ERROR", "repeated 4990 more times: " + RETRYING, task,
        "{\"repeated\": 4990, \"logger\": \"worker\"}"));
    records.add(record(at.plusMillis(301), "ERROR", "repeated 3 more times: the upload, then gave up", task));
    records.add(withMetadata(at.plusMillis(302), "ERROR", "repeated 2 more times: the upload", task, "{\"repeated\": 7}"));
    records.add(record(at.plusMillis(303), "INFO", "giving up", task));
    return records;
  }

  private static String batch(List<String> records) {
    return TestRecords.records(records.toArray(String[]::new));
  }

  private static void heartbeat(Store store, String worker, String logs, String metadata) {
    store.withConnection(c -> TestDatabase.heartbeat(c, worker, logs, metadata));
  }

  private static void execute(Store store, String sql) {
    store.withConnection(c -> c.createStatement().execute(sql));
  }

  private static long fleetHealthErrors(Store store, String worker) {
    return store.workers(Store.DEFAULT_STALE_AFTER).stream()
        .filter(w -> w.id().equals(worker)).findFirst().orElseThrow().errorsLastHour();
  }

  @Test
  void aTaskCountsAFloodAsTheErrorsItStandsForOnEveryPageThatCountsItsErrors() {
    Store store = TestDatabase.freshStore();
    heartbeat(store, "gpu-f", batch(flood(Instant.now().minus(Duration.ofMinutes(10)), "t-8")), null);

    RecentTask listed = store.tasks(new TaskFilter("gpu-f", Instant.now().minus(Duration.ofHours(1)), null, false,
        Map.of(), 10)).get(0);
    assertThat(listed.records()).as("records stay records").isEqualTo(14);
    assertThat(listed.errors()).as("the task list").isEqualTo(FLOOD_ERRORS);
    assertThat(store.task("t-8").workers()).as("a task's page, summed from its records")
        .singleElement().satisfies(w -> assertThat(w.errors()).isEqualTo(FLOOD_ERRORS));
    TaskTimeline ends = store.task("t-8", 1, 1);
    assertThat(ends.leftOut()).as("a long task's page reads the store's counts").isPositive();
    assertThat(ends.workers()).singleElement().satisfies(w -> assertThat(w.errors()).isEqualTo(FLOOD_ERRORS));
    assertThat(ends.levels()).as("its levels count records").containsEntry("ERROR", 13L);
    assertThat(store.worker("gpu-f", 10, 10).orElseThrow().recentTasks()).as("a worker's tasks")
        .singleElement().satisfies(t -> assertThat(t.errors()).isEqualTo(FLOOD_ERRORS));
    assertThat(store.errorKinds("gpu-f", Instant.now().minus(Duration.ofHours(1)), null, 10).errorCount())
        .as("heartlog errors, as before").isEqualTo(FLOOD_ERRORS);
  }

  /**
   * Every query that counts errors calls heartlog_repeat_count for each error; inlined, it is its
   * expression planned into the query, where called it would go through the SQL function executor
   * once an error. A change that stopped PostgreSQL inlining it (a STRICT, a SET clause, a second
   * statement) says so only here.
   */
  @Test
  void theQueriesThatCountErrorsHaveTheFunctionInlined() {
    Store store = TestDatabase.freshStore();
    Map<String, String> plans = store.withConnection(c -> Map.of(
        "task-workers", TestDatabase.explain(c, "VERBOSE", "task-workers", Map.of("task", "t-1")),
        "worker-tasks", TestDatabase.explain(c, "VERBOSE", "worker-tasks", Map.of("worker", "gpu-f",
            "window_s", 3600L, "window_end", java.sql.Timestamp.from(Instant.now()), "limit", 10L)),
        "workers", TestDatabase.explain(c, "VERBOSE", "workers", Map.of("stale_after_s", 60L))));

    plans.forEach((query, plan) -> assertThat(plan).as(query)
        .contains("'repeated %'")
        .doesNotContain("heartlog_repeat_count"));
  }

  @Test
  void aCountTooLargeForABigintIsOneErrorNotAFailedQuery() {
    Store store = TestDatabase.freshStore();
    String huge = "99999999999999999999";
    heartbeat(store, "gpu-h", TestRecords.records(withMetadata(Instant.now().minus(Duration.ofMinutes(10)), "ERROR",
        "repeated " + huge + " more times: x", "t-h", "{\"repeated\": " + huge + "}")), null);

    assertThat(store.task("t-h").workers()).singleElement().satisfies(w -> assertThat(w.errors()).isEqualTo(1));
    assertThat(store.task("t-h", 0, 0).workers()).singleElement().satisfies(w -> assertThat(w.errors()).isEqualTo(1));
    assertThat(store.errorKinds("gpu-h", Instant.now().minus(Duration.ofHours(1)), null, 10).errorCount()).isEqualTo(1);
  }

  @Test
  void fleetHealthCountsAFloodInTheMinutesBeforeItsCountedPeriods() throws InterruptedException {
    Store store = TestDatabase.freshStore();
    // The last hour's first minutes, before its first whole 5-minute period, are counted from the
    // records (workers.sql's edge). Not in a period's last 10 s, which would end the edge too soon.
    long intoPeriod = Instant.now().getEpochSecond() % 300;
    if (intoPeriod >= 290) {
      Thread.sleep((301 - intoPeriod) * 1_000);
    }
    long firstCountedPeriod = Instant.now().getEpochSecond() / 300 - 11;
    Instant edge = Instant.ofEpochSecond(firstCountedPeriod * 300 - 1);
    heartbeat(store, "gpu-e", batch(flood(edge.minusMillis(400), "t-9")), null);

    assertThat(fleetHealthErrors(store, "gpu-e")).as("fleet health").isEqualTo(FLOOD_ERRORS);
    assertThat(store.workerHealth("gpu-e").orElseThrow().errorsLastHour()).as("one worker").isEqualTo(FLOOD_ERRORS);
  }

  @Test
  void aWorkerShownFromItsHeartbeatsCountsAFlood() {
    Store store = TestDatabase.freshStore();
    Instant tenMinutesAgo = Instant.now().minus(Duration.ofMinutes(10));
    heartbeat(store, "gpu-gone", batch(flood(tenMinutesAgo, "t-1")), null);
    heartbeat(store, "gpu-refused", batch(flood(tenMinutesAgo, "t-2")), null);
    // The orchestrator removed one worker's row, and its table refused the other's since.
    execute(store, "DELETE FROM workers WHERE id = 'gpu-gone'");
    execute(store, "INSERT INTO worker_row_refusals VALUES ('gpu-refused', now(), 'no such status')");

    assertThat(store.workerHealth("gpu-gone").orElseThrow().errorsLastHour()).isEqualTo(FLOOD_ERRORS);
    assertThat(store.workerHealth("gpu-refused").orElseThrow().errorsLastHour()).isEqualTo(FLOOD_ERRORS);
    assertThat(fleetHealthErrors(store, "gpu-refused")).isEqualTo(FLOOD_ERRORS);
  }

  @Test
  void theStoresOwnCountsOfABatchItHadToCleanCountAFlood() {
    Store store = TestDatabase.freshStore();
    Instant tenMinutesAgo = Instant.now().minus(Duration.ofMinutes(10));
    // The agent sends its counts; a batch the set-based insert cannot read is counted by the
    // store instead: read again whole (a time sent as a number), or record by record (a record
    // that is no object, stored as an ERROR saying so).
    String agentsCounts = "{\"problem_counts\": [[" + tenMinutesAgo.getEpochSecond() / 300 + ", " + FLOOD_ERRORS + ", 0]]}";
    List<String> cleaned = flood(tenMinutesAgo, "t-1");
    cleaned.add("{\"timestamp\": " + tenMinutesAgo.getEpochSecond() + ", \"level\": \"INFO\", \"message\": \"a time as a number\"}");
    heartbeat(store, "gpu-c", batch(cleaned), agentsCounts);
    List<String> oneByOne = flood(tenMinutesAgo, "t-2");
    oneByOne.add("42");
    heartbeat(store, "gpu-o", batch(oneByOne), agentsCounts);

    assertThat(fleetHealthErrors(store, "gpu-c")).as("read again whole").isEqualTo(FLOOD_ERRORS);
    assertThat(fleetHealthErrors(store, "gpu-o")).as("record by record, and the rejection")
        .isEqualTo(FLOOD_ERRORS + 1);
  }

  @Test
  void heartlogMigrateCountsAFloodAgain() throws SQLException {
    Store store = TestDatabase.freshStore();
    Instant tenMinutesAgo = Instant.now().minus(Duration.ofMinutes(10));
    heartbeat(store, "gpu-m", batch(flood(tenMinutesAgo, "t-1")), null);
    // Counts lost (records loaded around the ingest function): every migrate counts again.
    execute(store, "UPDATE workers SET problem_errors = NULL, problem_warnings = NULL");
    assertThat(fleetHealthErrors(store, "gpu-m")).isZero();

    store.withConnection((Connection c) -> c.createStatement().execute("SELECT heartlog_recount_problems()"));

    assertThat(fleetHealthErrors(store, "gpu-m")).isEqualTo(FLOOD_ERRORS);
  }
}
