package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The ingest function and the schema, called in SQL as deployed clients call them. */
class IngestFunctionTest {

  /** Calls the function with the named arguments of a JSON request body, as PostgREST does. */
  private static final String CALL_WITH_BODY =
      """
      SELECT func_worker_heartbeat_with_logs(
               worker_id_param       => b->>'worker_id_param',
               vram_total_mb_param   => (b->>'vram_total_mb_param')::int,
               vram_used_mb_param    => (b->>'vram_used_mb_param')::int,
               logs_param            => coalesce(b->'logs_param', '[]'::jsonb),
               current_task_id_param => b->>'current_task_id_param',
               status_param          => coalesce(b->>'status_param', 'active'),
               session_id_param      => b->>'session_id_param',
               batch_seq_param       => (b->>'batch_seq_param')::bigint)::text
      FROM (SELECT ?::jsonb AS b) AS request
      """;

  private Store store;

  @BeforeEach
  void freshStore() {
    store = TestDatabase.freshStore();
  }

  @Test
  void migrationCreatesPartitionedTablesAndTodaysPartition() {
    List<String> partitions =
        strings(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                + "WHERE i.inhparent = 'system_logs'::regclass ORDER BY 1");
    String today = single("SELECT 'system_logs_p' || to_char((now() AT TIME ZONE 'UTC')::date, 'YYYYMMDD')");

    assertThat(single("SELECT to_regclass('workers')::text")).isEqualTo("workers");
    assertThat(single("SELECT to_regclass('worker_heartbeats')::text")).isEqualTo("worker_heartbeats");
    assertThat(single("SELECT count(*)::text FROM pg_partitioned_table WHERE partrelid = 'system_logs'::regclass"))
        .isEqualTo("1");
    assertThat(partitions).contains("system_logs_default", today).hasSize(5);
  }

  @Test
  void theFunctionPlansItsStatementsOncePerSessionWhateverTheCallersSessionSays() {
    // heartlog serve's connections plan every query afresh (force_custom_plan); the function
    // must not inherit that for its own statements.
    assertThat(single("SELECT array_to_string(proconfig, ',') FROM pg_proc "
        + "WHERE proname = 'func_worker_heartbeat_with_logs'")).isEqualTo("plan_cache_mode=auto,TimeZone=UTC");
  }

  @Test
  void migratingTwiceAppliesNothingTheSecondTime() {
    assertThat(store.migrate()).isZero();
  }

  @Test
  void seedsExactFiveArgumentCallWorks() {
    String result = single("SELECT func_worker_heartbeat_with_logs('test', NULL, NULL, '[]'::jsonb, NULL)::text");

    assertThat(result).contains("\"success\": true").contains("\"logs_inserted\": 0");
    assertThat(single("SELECT status FROM workers WHERE id = 'test'")).isEqualTo("active");
  }

  @Test
  void pythonWorkerRequestIsStoredWithTasksLevelsAndTraceback() {
    String result = callWithBody(Fixtures.read(Fixtures.PYTHON_WORKER_HEARTBEAT));

    assertThat(result).contains("\"success\": true").contains("\"logs_inserted\": 4");
    assertThat(strings(
            "SELECT level || '|' || coalesce(task_id, '-') || '|' || "
                + "to_char(timestamp AT TIME ZONE 'UTC', 'HH24:MI:SS.US') FROM system_logs ORDER BY timestamp"))
        .containsExactly(
            "INFO|0f6c2a4e-7d1b-4a53-9a64-2f0c8d7e1b90|21:59:58.123456",
            "WARNING|0f6c2a4e-7d1b-4a53-9a64-2f0c8d7e1b90|21:59:59.654321",
            "ERROR|0f6c2a4e-7d1b-4a53-9a64-2f0c8d7e1b90|22:00:01.000001",
            "INFO|-|22:00:02.500000");
    assertThat(single("SELECT metadata->>'exception' FROM system_logs WHERE level = 'ERROR'"))
        .contains("torch.OutOfMemoryError: CUDA out of memory");
    assertThat(single("SELECT vram_used_mb::text FROM workers WHERE id = 'gpu-20261127-a1b2c3'"))
        .isEqualTo("23017");
  }

  @Test
  void pythonSidecarsCallWithoutTaskArgumentMarksWorkerCrashed() {
    String result = callWithBody(Fixtures.read(Fixtures.PYTHON_SIDECAR_HEARTBEAT));

    assertThat(result).contains("\"success\": true");
    assertThat(single("SELECT status FROM workers WHERE id = 'gpu-20261127-a1b2c3'")).isEqualTo("crashed");
    assertThat(single("SELECT status FROM worker_heartbeats")).isEqualTo("crashed");
  }

  @Test
  @Timeout(60)
  void aNewWorkersFirstHeartbeatsOnTwoConnectionsAtOnceMakeOneRowAndBothCount() throws Exception {
    String url = TestDatabase.migratedUrl();
    String call = "SELECT func_worker_heartbeat_with_logs('w-new', 81559, ?)::text";
    try (Connection first = DriverManager.getConnection(url);
        Connection second = DriverManager.getConnection(url)) {
      int secondPid = TestDatabase.backendPid(second);
      first.setAutoCommit(false);
      heartbeat(first, call, 1000);   // inserts the worker's row, not committed yet
      CompletableFuture<String> secondCall = CompletableFuture.supplyAsync(() -> {
        try {
          return heartbeat(second, call, 2000);   // waits for the first to commit
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      try (Connection observer = DriverManager.getConnection(url)) {
        await().atMost(Duration.ofSeconds(10)).until(() -> TestDatabase.waitsOnALock(observer, secondPid));
      }
      assertThat(secondCall).as("waits for the first transaction").isNotDone();
      first.commit();

      assertThat(secondCall.get(10, TimeUnit.SECONDS)).contains("\"success\": true");
      try (ResultSet rs = first.createStatement().executeQuery(
          "SELECT (SELECT count(*) FROM workers WHERE id = 'w-new'), (SELECT vram_used_mb FROM workers WHERE id = 'w-new'), "
              + "(SELECT count(*) FROM worker_heartbeats WHERE worker_id = 'w-new')")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(1);
        assertThat(rs.getInt(2)).as("the second heartbeat updated the row").isEqualTo(2000);
        assertThat(rs.getInt(3)).isEqualTo(2);
      }
    }
  }

  @Test
  void aTriggerThatSkipsTheWorkersUpdateDoesNotHangTheHeartbeat() throws SQLException {
    execute("CREATE FUNCTION skip_updates() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$");
    execute("CREATE TRIGGER orchestrator_skips BEFORE UPDATE ON workers FOR EACH ROW EXECUTE FUNCTION skip_updates()");

    String first = store.withConnection(connection -> {
      connection.createStatement().execute("SET statement_timeout = '10s'");
      heartbeat(connection, "SELECT func_worker_heartbeat_with_logs('w1', 81559, ?)::text", 1000);
      return heartbeat(connection, "SELECT func_worker_heartbeat_with_logs('w1', 81559, ?)::text", 2000);
    });

    assertThat(first).contains("\"success\": true");
    assertThat(single("SELECT count(*)::text FROM worker_heartbeats")).isEqualTo("2");
  }

  private static String heartbeat(Connection connection, String call, int vramUsed) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(call)) {
      statement.setInt(1, vramUsed);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  @Test
  void repeatedBatchIsAcknowledgedButStoredOnce() {
    String batch =
        """
        {"worker_id_param": "w1", "session_id_param": "s1", "batch_seq_param": 1,
         "logs_param": [{"timestamp": "2026-11-27T22:00:00.000001Z", "level": "INFO", "message": "once", "seq": 1}]}
        """;

    String first = callWithBody(batch);
    String repeat = callWithBody(batch);
    String next = callWithBody(batch.replace("\"batch_seq_param\": 1", "\"batch_seq_param\": 2"));

    assertThat(first).contains("\"logs_inserted\": 1").contains("\"duplicate\": false");
    assertThat(repeat).contains("\"success\": true").contains("\"logs_inserted\": 0").contains("\"duplicate\": true");
    assertThat(next).contains("\"logs_inserted\": 1");
    assertThat(single("SELECT count(*)::text FROM system_logs")).isEqualTo("2");
  }

  @Test
  void oneBadRecordCostsOnlyItselfAndIsReportedAsARejection() {
    String batch =
        """
        {"worker_id_param": "w1", "logs_param": [
          {"timestamp": "2026-11-27T22:00:00Z", "level": "INFO", "message": "good one"},
          "not a record",
          {"timestamp": "2026-11-27T22:00:02Z", "level": "warn", "message": "good two"},
          {"timestamp": "2026-11-27T22:00:03Z", "level": "SUCCESS", "message": "odd level"}]}
        """;

    String result = callWithBody(batch);

    assertThat(result).contains("\"success\": true").contains("\"logs_inserted\": 3").contains("\"logs_rejected\": 1");
    assertThat(strings("SELECT level || ':' || message FROM system_logs WHERE message NOT LIKE 'heartlog%' ORDER BY timestamp"))
        .containsExactly("INFO:good one", "WARNING:good two", "INFO:odd level");
    assertThat(single("SELECT metadata->>'original_level' FROM system_logs WHERE message = 'odd level'"))
        .isEqualTo("SUCCESS");
    assertThat(single("SELECT level || ':' || message || ' | ' || (metadata->>'heartlog_rejected') FROM system_logs "
        + "WHERE message LIKE 'heartlog rejected%'"))
        .isEqualTo("ERROR:heartlog rejected record 2 of a batch: a record must be a JSON object, not a string"
            + " | \"not a record\"");
    assertThat(single("SELECT count(*)::text FROM worker_heartbeats")).isEqualTo("1");
  }

  @Test
  void aTimeOrNumberTheSetBasedInsertCannotReadIsCleanedAndKeptAsSentNotRejected() {
    // 1795816800 s since 1970: 2026-11-27 22:00:00 UTC.
    String batch =
        """
        {"worker_id_param": "w1", "logs_param": [
          {"timestamp": "not a time", "level": "ERROR", "message": "unreadable time", "seq": "seven", "metadata": {"k": 1}},
          {"timestamp": 1795816800.5, "message": "seconds", "seq": 2},
          {"timestamp": 1795816800500, "message": "milliseconds"},
          {"timestamp": 1795816800500000, "message": "microseconds"},
          {"timestamp": 1795816800500000000, "message": "nanoseconds"},
          {"timestamp": true, "message": "a boolean", "seq": 2.5},
          {"timestamp": 9.3e21, "message": "beyond any time", "seq": 12345678901234567890},
          {"timestamp": "2026-11-27T22:00:01Z", "message": "as sent", "seq": "7"}]}
        """;

    assertThat(callWithBody(batch)).contains("\"logs_inserted\": 8").contains("\"logs_rejected\": 0");

    assertThat(strings("""
        SELECT message || ' ' || to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') || ' ' || coalesce(seq::text, '-')
               || ' ' || (metadata - 'original_timestamp' - 'original_seq')::text
               || ' ' || coalesce(metadata->>'original_timestamp', '-') || ' ' || coalesce(metadata->>'original_seq', '-')
        FROM system_logs WHERE timestamp < now() - interval '1 hour' ORDER BY id"""))
        .containsExactly(
            "seconds 2026-11-27 22:00:00.500 2 {} 1795816800.5 -",
            "milliseconds 2026-11-27 22:00:00.500 - {} 1795816800500 -",
            "microseconds 2026-11-27 22:00:00.500 - {} 1795816800500000 -",
            "nanoseconds 2026-11-27 22:00:00.500 - {} 1795816800500000000 -",
            "as sent 2026-11-27 22:00:01.000 7 {} - -");
    // What has no readable time is stamped with its arrival.
    assertThat(strings("""
        SELECT level || ' ' || message || ' ' || coalesce(seq::text, '-') || ' ' || metadata::text
        FROM system_logs WHERE timestamp >= now() - interval '1 hour' ORDER BY id"""))
        .containsExactly(
            "ERROR unreadable time - {\"k\": 1, \"original_seq\": \"seven\", \"original_timestamp\": \"not a time\"}",
            "INFO a boolean - {\"original_seq\": 2.5, \"original_timestamp\": true}",
            "INFO beyond any time - {\"original_seq\": 12345678901234567890, \"original_timestamp\": 9300000000000000000000}");
  }

  @Test
  void aBatchEncodedTwiceIsStoredAsTheRecordsItHolds() {
    // Python's supabase.rpc(..., {"logs_param": json.dumps(logs)}): the array arrives as a JSON
    // string holding its text.
    String batch =
        """
        {"worker_id_param": "w1", "logs_param":
          "[{\\"level\\": \\"ERROR\\", \\"message\\": \\"encoded twice\\"}, {\\"level\\": \\"INFO\\", \\"message\\": \\"and stored\\"}]"}
        """;

    assertThat(callWithBody(batch)).contains("\"logs_inserted\": 2").contains("\"logs_rejected\": 0");
    assertThat(strings("SELECT level || ':' || message FROM system_logs ORDER BY message DESC"))
        .containsExactly("ERROR:encoded twice", "INFO:and stored");
    assertThat(store.workers(Store.DEFAULT_STALE_AFTER))
        .singleElement()
        .satisfies(worker -> assertThat(worker.errorsLastHour()).isEqualTo(1));
    assertThat(single("SELECT records::text FROM worker_heartbeats")).isEqualTo("2");
  }

  @Test
  void aLoneRecordSentWithoutItsArrayIsStoredAsABatchOfOne() {
    String batch = """
        {"worker_id_param": "w1", "logs_param": {"level": "WARNING", "message": "alone"}}
        """;

    assertThat(callWithBody(batch)).contains("\"logs_inserted\": 1").contains("\"logs_rejected\": 0");
    assertThat(single("SELECT level || ':' || message FROM system_logs")).isEqualTo("WARNING:alone");
  }

  @Test
  void logsThatHoldNoRecordsAreStoredAsRejectionsNotDropped() {
    assertThat(callWithBody("""
        {"worker_id_param": "w1", "logs_param": 42}
        """)).contains("\"success\": true").contains("\"logs_inserted\": 0").contains("\"logs_rejected\": 1");
    assertThat(callWithBody("""
        {"worker_id_param": "w2", "logs_param": "model loaded\\nstep 1/8"}
        """)).contains("\"logs_inserted\": 0").contains("\"logs_rejected\": 1");
    assertThat(callWithBody("""
        {"worker_id_param": "w3", "logs_param": [{"message": "fine"}, null, 7, ["nested"]]}
        """)).contains("\"logs_inserted\": 1").contains("\"logs_rejected\": 3");
    // Nothing at all is not a record: no rejection.
    assertThat(callWithBody("""
        {"worker_id_param": "w4", "logs_param": null}
        """)).contains("\"logs_inserted\": 0").contains("\"logs_rejected\": 0");

    assertThat(strings("SELECT source_id || ': ' || message || ' | ' || (metadata->>'heartlog_rejected') FROM system_logs "
        + "WHERE message LIKE 'heartlog rejected%' ORDER BY source_id, message"))
        .containsExactly(
            "w1: heartlog rejected record 1 of a batch: a record must be a JSON object, not a number | 42",
            "w2: heartlog rejected record 1 of a batch: a record must be a JSON object, not a string"
                + " | \"model loaded\\nstep 1/8\"",
            "w3: heartlog rejected record 2 of a batch: a record must be a JSON object, not null | null",
            "w3: heartlog rejected record 3 of a batch: a record must be a JSON object, not a number | 7",
            "w3: heartlog rejected record 4 of a batch: a record must be a JSON object, not an array | [\"nested\"]");
    assertThat(single("SELECT count(*)::text FROM worker_heartbeats")).isEqualTo("4");
  }

  @Test
  void aRecordIsStoredAlikeWhetherItsBatchIsStoredAtOnceCleanedOrOneByOne() {
    String records = """
        {"timestamp": "2026-11-27T22:00:00Z", "level": "INFO", "message": "text", "metadata": "as text"},
        {"timestamp": "2026-11-27T22:00:01Z", "level": "SUCCESS", "message": "odd", "metadata": {"k": 1}},
        {"timestamp": "2026-11-27T22:00:02Z", "level": "INFO", "message": "none"}""";
    // A time sent as a number (Python's record.created): the set-based insert cannot read it.
    String numeric = ", {\"timestamp\": " + System.currentTimeMillis() / 1000.0
        + ", \"level\": \"WARNING\", \"message\": \"numeric\", \"seq\": \"4\"}";
    String stored = "SELECT message || ' ' || level || ' ' || coalesce(seq::text, '-') || ' ' || metadata::text "
        + "FROM system_logs WHERE source_id = '%s' AND message NOT LIKE 'heartlog rejected%%' ORDER BY timestamp";

    callWithBody("{\"worker_id_param\": \"at-once\", \"logs_param\": [" + records + "]}");
    callWithBody("{\"worker_id_param\": \"cleaned\", \"logs_param\": [" + records + numeric + "]}");
    // One record that fails however it is read: the batch goes record by record.
    callWithBody("{\"worker_id_param\": \"one-by-one\", \"logs_param\": [" + records + numeric + ", \"not a record\"]}");

    assertThat(strings(stored.formatted("at-once"))).containsExactly(
        "text INFO - \"as text\"", "odd INFO - {\"k\": 1, \"original_level\": \"SUCCESS\"}", "none INFO - {}");
    List<String> cleaned = strings(stored.formatted("cleaned"));
    assertThat(cleaned).startsWith(strings(stored.formatted("at-once")).toArray(String[]::new))
        .last().asString().startsWith("numeric WARNING 4 {\"original_timestamp\": ");
    assertThat(strings(stored.formatted("one-by-one"))).isEqualTo(cleaned);
    // Either way the stored WARNING counts in the worker's last hour.
    assertThat(store.workers(Store.DEFAULT_STALE_AFTER))
        .filteredOn(w -> w.id().equals("cleaned") || w.id().equals("one-by-one"))
        .extracting(WorkerHealth::warningsLastHour).containsExactly(1L, 1L);
  }

  @Test
  void levelsOfEveryVocabularyMapOntoTheStoresFive() {
    String batch =
        """
        {"worker_id_param": "w1", "logs_param": [
          {"timestamp": "2026-11-27T22:00:00Z", "level": "CRITICAL", "message": "m0"},
          {"timestamp": "2026-11-27T22:00:01Z", "level": "warn", "message": "m1"},
          {"timestamp": "2026-11-27T22:00:02Z", "level": " Error ", "message": "m2"},
          {"timestamp": "2026-11-27T22:00:03Z", "level": "fatal", "message": "m3"},
          {"timestamp": "2026-11-27T22:00:04Z", "level": "TRACE", "message": "m4"},
          {"timestamp": "2026-11-27T22:00:05Z", "level": "info", "message": "m5"},
          {"timestamp": "2026-11-27T22:00:06Z", "level": "SUCCESS", "message": "m6"},
          {"timestamp": "2026-11-27T22:00:07Z", "message": "m7"}]}
        """;

    assertThat(callWithBody(batch)).contains("\"logs_inserted\": 8").contains("\"logs_rejected\": 0");
    assertThat(strings("SELECT message || ':' || level || ':' || coalesce(metadata->>'original_level', '-') "
        + "FROM system_logs ORDER BY timestamp"))
        .containsExactly("m0:CRITICAL:-", "m1:WARNING:-", "m2:ERROR:-", "m3:CRITICAL:-", "m4:DEBUG:-", "m5:INFO:-",
            "m6:INFO:SUCCESS", "m7:INFO:-");
  }

  @Test
  void skewedWorkerClocksAreKeptAsSentBesideTheReceiveTime() {
    String batch =
        """
        {"worker_id_param": "w1", "logs_param": [
          {"timestamp": "2001-01-01T00:00:00Z", "level": "INFO", "message": "clock far behind"},
          {"timestamp": "2099-01-01T00:00:00Z", "level": "INFO", "message": "clock far ahead"}]}
        """;

    assertThat(callWithBody(batch)).contains("\"logs_inserted\": 2");
    assertThat(strings("SELECT extract(year FROM timestamp)::text FROM system_logs ORDER BY timestamp"))
        .containsExactly("2001", "2099");
    assertThat(single("SELECT count(*)::text FROM system_logs WHERE created_at > now() - interval '1 minute'"))
        .isEqualTo("2");
    assertThat(single("SELECT count(*)::text FROM system_logs_default")).isEqualTo("0");
  }

  @Test
  void creatingAPartitionMovesThatDaysRowsOutOfTheDefaultPartition() {
    String today = single("SELECT 'system_logs_p' || to_char((now() AT TIME ZONE 'UTC')::date, 'YYYYMMDD')");
    execute("DROP TABLE " + today);
    callWithBody("{\"worker_id_param\": \"w1\", \"logs_param\": [{\"timestamp\": \"2026-11-27T22:00:00Z\", \"level\": \"INFO\", \"message\": \"early\"}]}");
    assertThat(single("SELECT count(*)::text FROM system_logs_default")).isEqualTo("1");

    String created = single("SELECT heartlog_ensure_partitions()::text");

    assertThat(created).isEqualTo("1");
    assertThat(single("SELECT count(*)::text FROM system_logs_default")).isEqualTo("0");
    assertThat(single("SELECT count(*)::text FROM " + today)).isEqualTo("1");
  }

  @Test
  void noStatisticsAreGatheredForMetadataInAnyPartitionOldOrNew() {
    String dayAfterTomorrow = single("SELECT 'system_logs_p' || to_char((now() AT TIME ZONE 'UTC')::date + 2, 'YYYYMMDD')");
    execute("DROP TABLE " + dayAfterTomorrow);
    assertThat(single("SELECT heartlog_ensure_partitions()::text")).isEqualTo("1");

    List<String> targets = strings("SELECT a.attrelid::regclass || '=' || a.attstattarget FROM pg_attribute a "
        + "WHERE a.attname = 'metadata' AND a.attrelid IN (SELECT 'system_logs'::regclass UNION ALL "
        + "SELECT inhrelid FROM pg_inherits WHERE inhparent = 'system_logs'::regclass UNION ALL "
        + "SELECT 'worker_heartbeats'::regclass) ORDER BY 1");
    assertThat(targets).hasSize(7)   // the parent, default, today and three days ahead, heartbeats
        .contains(dayAfterTomorrow + "=0", "system_logs_default=0", "worker_heartbeats=0")
        .allSatisfy(target -> assertThat(target).endsWith("=0"));
    assertThat(single("SELECT coalesce(attstattarget, -1)::text FROM pg_attribute WHERE attrelid = '" + dayAfterTomorrow
        + "'::regclass AND attname = 'message'")).as("other columns keep the default").isEqualTo("-1");
  }

  @Test
  void retentionDropsWholeDaysOlderThan48HoursAndKeepsRecentRows() {
    execute(
        "CREATE TABLE system_logs_p20200101 PARTITION OF system_logs "
            + "FOR VALUES FROM ('2020-01-01 00:00+00') TO ('2020-01-02 00:00+00')");
    execute(
        "INSERT INTO system_logs (timestamp, level, message, source_type, source_id, created_at) "
            + "VALUES ('2020-01-01 12:00+00', 'INFO', 'old', 'worker', 'w1', '2020-01-01 12:00+00')");
    callWithBody("{\"worker_id_param\": \"w1\", \"logs_param\": [{\"timestamp\": \"2026-11-27T22:00:00Z\", \"level\": \"INFO\", \"message\": \"recent\"}]}");

    execute("SELECT cleanup_old_system_logs()");

    assertThat(single("SELECT coalesce(to_regclass('system_logs_p20200101')::text, 'gone')")).isEqualTo("gone");
    assertThat(strings("SELECT message FROM system_logs")).containsExactly("recent");
  }

  private String callWithBody(String body) {
    return store.withConnection(
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(CALL_WITH_BODY)) {
            statement.setString(1, body);
            try (ResultSet rs = statement.executeQuery()) {
              rs.next();
              return rs.getString(1);
            }
          }
        });
  }

  private String single(String sql) {
    List<String> rows = strings(sql);
    assertThat(rows).hasSize(1);
    return rows.get(0);
  }

  private List<String> strings(String sql) {
    return store.withConnection(connection -> readStrings(connection, sql));
  }

  private void execute(String sql) {
    store.withConnection(connection -> connection.createStatement().execute(sql));
  }

  private static List<String> readStrings(Connection connection, String sql) throws SQLException {
    try (ResultSet rs = connection.createStatement().executeQuery(sql)) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
      return rows;
    }
  }
}
