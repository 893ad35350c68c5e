package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fleet health's warnings and errors of the last hour come from counts the ingest function keeps
 * per worker and 5-minute period (migration V7). They must say what counting the stored records
 * says, whatever order and times the records arrive in.
 */
class ProblemCountsTest {

  private static final String CLEANED = "heartlog_insert_logs_cleaned";
  private static final String ONE_BY_ONE = "heartlog_insert_logs_one_by_one";

  private static final String[] LEVELS = {"DEBUG", "INFO", "INFO", "WARNING", "WARN", "ERROR", "CRITICAL", "FATAL"};

  /** Exact counts from the records, as fleet health counted before V7: worker -> {errors, warnings}. */
  private static Map<String, List<Long>> countedFromRecords(Store store) {
    return store.withConnection(c -> {
      Map<String, List<Long>> counts = new HashMap<>();
      try (ResultSet rows = c.createStatement().executeQuery("""
          SELECT w.id,
                 count(l.*) FILTER (WHERE l.level IN ('ERROR', 'CRITICAL')),
                 count(l.*) FILTER (WHERE l.level = 'WARNING')
          FROM workers w
          LEFT JOIN system_logs l ON l.source_id = w.id AND l.timestamp >= now() - interval '1 hour'
          GROUP BY w.id""")) {
        while (rows.next()) {
          counts.put(rows.getString(1), List.of(rows.getLong(2), rows.getLong(3)));
        }
      }
      return counts;
    });
  }

  private static Map<String, List<Long>> shownByFleetHealth(Store store) {
    Map<String, List<Long>> counts = new HashMap<>();
    for (WorkerHealth worker : store.workers(Store.DEFAULT_STALE_AFTER)) {
      counts.put(worker.id(), List.of(worker.errorsLastHour(), worker.warningsLastHour()));
    }
    return counts;
  }

  private static String heartbeat(Store store, String worker, String logs, String session, Long batchSeq) {
    return heartbeat(store, worker, logs, session, batchSeq, null);
  }

  private static String heartbeat(Store store, String worker, String logs, String session, Long batchSeq,
      String metadata) {
    return store.withConnection(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT func_worker_heartbeat_with_logs(?, NULL, NULL, ?::jsonb, NULL, 'active', ?, ?, ?::jsonb)::text")) {
        s.setString(1, worker);
        s.setString(2, logs);
        s.setString(3, session);
        s.setObject(4, batchSeq);
        s.setString(5, metadata);
        try (ResultSet rows = s.executeQuery()) {
          rows.next();
          return rows.getString(1);
        }
      }
    });
  }

  /**
   * How often a heartbeat with these records and metadata completed a call of {@code function}
   * (heartlog_insert_logs_cleaned, the batch read again; heartlog_insert_logs_one_by_one, the
   * record-by-record path), from PostgreSQL's statistics of the transaction; a call that failed
   * is rolled back with its count. The heartbeat is rolled back.
   */
  private static long callsOf(String function, Store store, String worker, String logs, String metadata) {
    return store.withConnection(c -> {
      c.setAutoCommit(false);
      try {
        c.createStatement().execute("SET LOCAL track_functions = 'pl'");
        try (PreparedStatement s = c.prepareStatement(
            "SELECT func_worker_heartbeat_with_logs(?, NULL, NULL, ?::jsonb, NULL, 'active', NULL, NULL, ?::jsonb)")) {
          s.setString(1, worker);
          s.setString(2, logs);
          s.setString(3, metadata);
          s.execute();
        }
        try (PreparedStatement calls = c.prepareStatement(
            "SELECT coalesce(sum(calls), 0) FROM pg_stat_xact_user_functions WHERE funcname = ?")) {
          calls.setString(1, function);
          try (ResultSet rows = calls.executeQuery()) {
            rows.next();
            return rows.getLong(1);
          }
        }
      } finally {
        c.rollback();
        c.setAutoCommit(true);
      }
    });
  }

  /** A record stamped {@code age} ago (negative: in the future). */
  private static String record(String level, Duration age, String message) {
    return "{\"timestamp\": \"" + Instant.now().minus(age) + "\", \"level\": \"" + level
        + "\", \"message\": \"" + message + "\"}";
  }

  @Test
  void fleetHealthCountsWhatTheRecordsOfTheLastHourSay() {
    Store store = TestDatabase.freshStore();
    Random random = new Random(20261128);
    for (int batch = 0; batch < 60; batch++) {
      String worker = "gpu-" + random.nextInt(4);
      List<String> records = new ArrayList<>();
      for (int i = random.nextInt(30); i > 0; i--) {
        // From two hours ago to five minutes ahead (a worker's clock that runs fast), in any
        // order: batches held back during an outage arrive after newer ones. Never within a
        // minute of "an hour ago", where the seconds this test takes would decide.
        long ageSeconds = random.nextInt(7_500) - 300;
        if (Math.abs(ageSeconds - 3_600) < 60) {
          ageSeconds += 120;
        }
        records.add(record(LEVELS[random.nextInt(LEVELS.length)], Duration.ofSeconds(ageSeconds), "r" + i));
      }
      if (random.nextInt(10) == 0) {
        // A record the set-based insert cannot read: the batch is stored one by one, and that
        // record is stamped now (its time kept as sent in its metadata).
        records.add("{\"timestamp\": \"not a time\", \"level\": \"INFO\", \"message\": \"bad\"}");
      }
      heartbeat(store, worker, "[" + String.join(",", records) + "]", null, null);
    }

    Map<String, List<Long>> exact = countedFromRecords(store);
    assertThat(exact).hasSize(4);
    assertThat(exact.values()).allSatisfy(counts -> assertThat(counts.get(0) + counts.get(1)).isPositive());
    assertThat(shownByFleetHealth(store)).isEqualTo(exact);
    for (Map.Entry<String, List<Long>> worker : exact.entrySet()) {
      WorkerHealth alone = store.worker(worker.getKey(), 1, 1).orElseThrow().health();
      assertThat(List.of(alone.errorsLastHour(), alone.warningsLastHour())).isEqualTo(worker.getValue());
    }
  }

  /** The period heartlog_period() gives a time: whole 300-second spans since 1970. */
  private static long period(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), 300);
  }

  @Test
  void countsAnAgentSendsWithItsBatchAreAddedAsSent() {
    Store store = TestDatabase.freshStore();
    Instant stamped = Instant.now().minus(Duration.ofMinutes(2));
    String batch = "[" + record("ERROR", Duration.ofMinutes(2), "failed") + "]";

    // The agent says 3 errors and 4 warnings: the store adds them and does not count the records
    // again (that is what saves it the work), so it shows the agent's figures.
    heartbeat(store, "gpu-1", batch, "s", 1L, "{\"problem_counts\": [[" + period(stamped) + ", 3, 4]]}");

    WorkerHealth worker = store.workers(Store.DEFAULT_STALE_AFTER).get(0);
    assertThat(List.of(worker.errorsLastHour(), worker.warningsLastHour())).isEqualTo(List.of(3L, 4L));
  }

  @Test
  void countsNotOfTheAgentsShapeAreLeftAndTheRecordsCountedInstead() {
    Store store = TestDatabase.freshStore();
    long now = period(Instant.now());
    List<String> malformed = List.of(
        "{\"problem_counts\": \"three\"}",
        "{\"problem_counts\": [[" + now + ", 1]]}",
        "{\"problem_counts\": [[" + now + ", 1, 2, 3]]}",
        "{\"problem_counts\": [[" + now + ", -1, 2]]}",
        "{\"problem_counts\": [[" + now + ", 1.5, 2]]}",
        "{\"problem_counts\": [[\"x\", 1, 2]]}",
        "{\"problem_counts\": [[" + now + ", 1e300, 2]]}",
        "{\"problem_counts\": [" + now + ", 1, 2]}",
        "{\"problem_counts\": {\"period\": " + now + "}}",
        "{\"problem_counts\": null}",
        "[[" + now + ", 1, 2]]",
        "{\"agent\": \"python\"}");
    String batch = "[" + record("ERROR", Duration.ofMinutes(1), "e") + "," + record("WARNING", Duration.ofMinutes(1), "w")
        + "," + record("INFO", Duration.ofMinutes(1), "i") + "]";
    for (int i = 0; i < malformed.size(); i++) {
      assertThat(heartbeat(store, "gpu-" + i, batch, null, null, malformed.get(i)))
          .as(malformed.get(i)).contains("\"logs_inserted\": 3");
      // Stored by the one set-based insert: bad counts must not cost the batch the paths that
      // are for bad records.
      for (String fallback : List.of(CLEANED, ONE_BY_ONE)) {
        assertThat(callsOf(fallback, store, "gpu-" + i, batch, malformed.get(i))).as(malformed.get(i)).isZero();
      }
    }
    String badTime = "[" + record("ERROR", Duration.ofMinutes(1), "e") + ", {\"timestamp\": \"not a time\"}]";
    assertThat(callsOf(CLEANED, store, "gpu-0", badTime, malformed.get(0))).as("a time to clean: read again").isEqualTo(1);
    assertThat(callsOf(ONE_BY_ONE, store, "gpu-0", badTime, malformed.get(0))).isZero();
    String notARecord = "[" + record("ERROR", Duration.ofMinutes(1), "e") + ", \"not a record\"]";
    assertThat(callsOf(ONE_BY_ONE, store, "gpu-0", notARecord, malformed.get(0))).as("a bad record: record by record")
        .isEqualTo(1);

    assertThat(shownByFleetHealth(store)).hasSize(malformed.size())
        .allSatisfy((worker, counts) -> assertThat(counts).as(worker).isEqualTo(List.of(1L, 1L)));
  }

  @Test
  void theCommonCasesAnsweredFirstAddAsTheLoopDoes() {
    Store store = TestDatabase.freshStore();
    // Counts of none, or of two periods ending at n + s; then one period's problems at n + o,
    // from far outside the window to ahead of the current period n + 1 (clamped to it).
    List<Long> mismatchesAndCases = store.withConnection(c -> {
      try (ResultSet rows = c.createStatement().executeQuery("""
          SELECT count(*) FILTER (WHERE heartlog_add_problems(counts, problems, col)
                                        IS DISTINCT FROM heartlog_add_problems_loop(counts, problems, col)),
                 count(*)
          FROM (SELECT CASE WHEN s < -3 THEN NULL
                            ELSE heartlog_add_problems_loop(
                                     heartlog_add_problems_loop(NULL, ARRAY[[n + s - 1, 2, 5]], col),
                                     ARRAY[[n + s, 3, 1]], col) END AS counts,
                       ARRAY[[n + o, a, a + 1]] AS problems,
                       col
                FROM (SELECT heartlog_period(now()) - 1 AS n) AS current_period,
                     generate_series(-4, 3) AS s, generate_series(-14, 3) AS o,
                     generate_series(-1, 2) AS a, generate_series(2, 3) AS col) AS cases""")) {
        rows.next();
        return List.of(rows.getLong(1), rows.getLong(2));
      }
    });

    assertThat(mismatchesAndCases).isEqualTo(List.of(0L, 8L * 18 * 4 * 2));
  }

  @Test
  void aRetriedBatchIsCountedOnce() {
    Store store = TestDatabase.freshStore();
    String batch = "[" + record("ERROR", Duration.ofMinutes(3), "failed") + ","
        + record("WARNING", Duration.ofMinutes(2), "slow") + "]";

    heartbeat(store, "gpu-1", batch, "session-1", 1L);
    String retry = heartbeat(store, "gpu-1", batch, "session-1", 1L);

    assertThat(retry).contains("\"duplicate\": true");
    WorkerHealth worker = store.workers(Store.DEFAULT_STALE_AFTER).get(0);
    assertThat(List.of(worker.errorsLastHour(), worker.warningsLastHour())).isEqualTo(List.of(1L, 1L));
  }

  @Test
  void recordsLoadedAroundTheFunctionCountAfterTheNextMigrate() {
    Store store = TestDatabase.freshStore();
    heartbeat(store, "gpu-1", "[" + record("ERROR", Duration.ofMinutes(1), "through the function") + "]", null, null);
    store.withConnection(c -> c.createStatement().execute("""
        INSERT INTO system_logs (timestamp, level, message, source_type, source_id)
        SELECT now() - g * interval '1 minute', 'WARNING', 'bulk loaded', 'worker', 'gpu-1'
        FROM generate_series(1, 70) g"""));

    assertThat(store.workers(Store.DEFAULT_STALE_AFTER).get(0).warningsLastHour())
        .as("the counts miss a bulk load, except in the minutes fleet health counts from the records")
        .isLessThanOrEqualTo(5);

    store.migrate();

    assertThat(shownByFleetHealth(store)).isEqualTo(countedFromRecords(store))
        .containsEntry("gpu-1", List.of(1L, 59L));
  }
}
