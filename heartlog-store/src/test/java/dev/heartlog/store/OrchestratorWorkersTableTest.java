package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The orchestrator owns {@code workers}, and its table may be stricter than the seed's: a CHECK
 * on the statuses it knows, a column every worker it registers has. A heartbeat it refuses still
 * stores its records.
 */
class OrchestratorWorkersTableTest {

  private String url;

  @BeforeEach
  void orchestratorsTableThenMigrate() throws SQLException {
    url = TestDatabase.freshUrl();
    execute("CREATE TABLE workers (id text PRIMARY KEY, "
        + "status text NOT NULL DEFAULT 'spawning' CHECK (status IN ('spawning', 'active', 'crashed', 'terminated')), "
        + "instance_type text NOT NULL, last_heartbeat timestamptz, vram_total_mb int, vram_used_mb int, current_task_id text)");
    execute("INSERT INTO workers (id, instance_type) VALUES ('gpu-1', 'H100')");
    Store.open(url, null, null).migrate();
  }

  @Test
  void aStatusTheTableDoesNotListStoresTheRecordsAndSaysWhyTheRowStayed() throws SQLException {
    String answer = heartbeat("gpu-1", "active", "[{\"level\": \"INFO\", \"message\": \"frame 1 rendered\"}]");
    assertThat(answer).doesNotContain("worker_row_error");

    answer = heartbeat("gpu-1", "stopped", "[{\"level\": \"WARNING\", \"message\": \"shutting down\"}]");

    assertThat(answer).contains("\"success\": true", "\"logs_inserted\": 1",
        "\"worker_row_error\": \"new row for relation \\\"workers\\\" violates check constraint \\\"workers_status_check\\\"\"");
    assertThat(single("SELECT string_agg(message, ', ' ORDER BY id) FROM system_logs"))
        .isEqualTo("frame 1 rendered, shutting down");
    assertThat(single("SELECT string_agg(status, ', ' ORDER BY received_at) FROM worker_heartbeats"))
        .as("the heartbeat history has it").isEqualTo("active, stopped");
    assertThat(single("SELECT status || ' ' || instance_type FROM workers")).isEqualTo("active H100");
  }

  @Test
  void aWorkerTheOrchestratorNeverRegisteredStoresItsRecords() throws SQLException {
    String answer = heartbeat("dev-laptop", "active", "[{\"level\": \"ERROR\", \"message\": \"CUDA not available\"}]");

    assertThat(answer).contains("\"logs_inserted\": 1",
        "\"worker_row_error\": \"null value in column \\\"instance_type\\\" of relation \\\"workers\\\" violates not-null constraint\"");
    assertThat(single("SELECT source_id || ': ' || message FROM system_logs")).isEqualTo("dev-laptop: CUDA not available");
    assertThat(single("SELECT count(*)::text FROM workers WHERE id = 'dev-laptop'")).isEqualTo("0");
  }

  @Test
  void fleetHealthListsAWorkerWhoseRowWasRefusedWithWhyUntilAHeartbeatWritesItAgain() throws SQLException {
    Store store = Store.open(url, null, null);
    heartbeat("dev-laptop", "active", "[{\"level\": \"ERROR\", \"message\": \"CUDA not available\"}]");
    heartbeat("gpu-1", "active", "[{\"level\": \"INFO\", \"message\": \"frame 1 rendered\"}]");
    execute("SELECT func_worker_heartbeat_with_logs('gpu-1', 81559, 20000, '[]'::jsonb)");
    heartbeat("gpu-1", "stopped", "[{\"level\": \"WARNING\", \"message\": \"shutting down\"}]");   // no VRAM

    List<WorkerHealth> fleet = store.workers(Duration.ofMinutes(1));

    assertThat(fleet).extracting(WorkerHealth::id).containsExactly("dev-laptop", "gpu-1");
    WorkerHealth unregistered = fleet.get(0);
    assertThat(unregistered.health()).as("its heartbeat's status").isEqualTo("active");
    assertThat(unregistered.errorsLastHour()).isEqualTo(1);
    assertThat(unregistered.workerRowError()).startsWith("null value in column \"instance_type\"");
    WorkerHealth stopped = fleet.get(1);
    assertThat(stopped.workerRowError()).contains("violates check constraint \"workers_status_check\"");
    assertThat(stopped.health()).as("what it said, not its row's 'active'").isEqualTo("stopped");
    assertThat(stopped.warningsLastHour()).as("counted from the records the refused row did not count").isEqualTo(1);
    assertThat(stopped.vramUsedMb()).as("the row's, which the heartbeat without figures left").isEqualTo(20000);
    assertThat(store.workerHealth("gpu-1").orElseThrow())
        .extracting(WorkerHealth::health, WorkerHealth::warningsLastHour, WorkerHealth::workerRowError,
            WorkerHealth::vramUsedMb)
        .containsExactly("stopped", 1L, stopped.workerRowError(), 20000);
    assertThat(store.workerHealth("dev-laptop").orElseThrow())
        .extracting(WorkerHealth::health, WorkerHealth::workerRowError)
        .containsExactly("active", unregistered.workerRowError());
    assertThat(StoreJson.workers(fleet)).contains("\"worker_row_error\":\"null value in column");

    heartbeat("gpu-1", "active", "[{\"level\": \"INFO\", \"message\": \"back\"}]");

    WorkerHealth back = store.workers(Duration.ofMinutes(1)).get(1);
    assertThat(back.workerRowError()).as("written since").isNull();
    assertThat(back.health()).isEqualTo("active");
    assertThat(store.workerHealth("gpu-1").orElseThrow().workerRowError()).isNull();
    assertThat(StoreJson.workers(store.workers(Duration.ofMinutes(1))).split("worker_row_error", -1)).hasSize(2);
  }

  @Test
  void aRefusedWorkersClockIsReadFromItsNewestHeartbeat() throws SQLException {
    Store store = Store.open(url, null, null);
    execute("SELECT func_worker_heartbeat_with_logs(worker_id_param => 'dev-laptop', logs_param => '[]'::jsonb, "
        + "metadata_param => jsonb_build_object('sent_at_ms', round(extract(epoch FROM now()) * 1000) + 90000))");

    WorkerHealth fleetsView = store.workers(Duration.ofMinutes(1)).get(0);

    assertThat(fleetsView.id()).isEqualTo("dev-laptop");
    assertThat(fleetsView.clockSkewMs()).as("90 s ahead, as the ingest function reads a row's").isBetween(89_000L, 91_000L);
    assertThat(store.workerHealth("dev-laptop").orElseThrow().clockSkewMs()).isEqualTo(fleetsView.clockSkewMs());
  }

  @Test
  void aCallerThatRowLevelSecurityKeepsFromWritingWorkersStoresItsRecords() throws SQLException {
    // As on Supabase: row-level security on the orchestrator's table, which lets the API's
    // roles read it; the function runs with the caller's rights (no writers in this store).
    execute("ALTER TABLE workers ENABLE ROW LEVEL SECURITY");
    execute("CREATE POLICY workers_are_read ON workers FOR SELECT USING (true)");
    execute("DROP ROLE IF EXISTS orchestrator_test_api");
    execute("CREATE ROLE orchestrator_test_api LOGIN PASSWORD 'api'");
    execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO orchestrator_test_api");
    execute("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO orchestrator_test_api");
    String asApi = url.replaceAll("\\?.*$", "") + "?user=orchestrator_test_api&password=api";
    try {
      String answer;
      try (Connection connection = DriverManager.getConnection(asApi);
          ResultSet rows = connection.createStatement().executeQuery("SELECT func_worker_heartbeat_with_logs("
              + "'gpu-2', NULL, NULL, '[{\"level\": \"INFO\", \"message\": \"frame 1 rendered\"}]'::jsonb)::text")) {
        rows.next();
        answer = rows.getString(1);
      }

      assertThat(answer).contains("\"logs_inserted\": 1",
          "\"worker_row_error\": \"new row violates row-level security policy for table \\\"workers\\\"\"");
      assertThat(single("SELECT source_id || ': ' || message FROM system_logs")).isEqualTo("gpu-2: frame 1 rendered");
      assertThat(Store.open(url, null, null).workers(Duration.ofMinutes(1))).extracting(WorkerHealth::id)
          .containsExactly("gpu-1", "gpu-2");
    } finally {
      execute("DROP OWNED BY orchestrator_test_api");
      execute("DROP ROLE orchestrator_test_api");
    }
  }

  @Test
  void retentionForgetsARefusalAsOldAsTheRecordsItDrops() throws SQLException {
    Store store = Store.open(url, null, null);
    heartbeat("dev-laptop", "active", "[{\"level\": \"INFO\", \"message\": \"hello\"}]");
    execute("UPDATE worker_row_refusals SET refused_at = now() - interval '3 days'");

    store.maintain(Duration.ofHours(48), 1);

    assertThat(single("SELECT count(*)::text FROM worker_row_refusals")).isEqualTo("0");
  }

  private String heartbeat(String worker, String status, String logs) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet answer = statement.executeQuery("SELECT func_worker_heartbeat_with_logs(worker_id_param => '" + worker
            + "', logs_param => '" + logs + "'::jsonb, status_param => '" + status + "')::text")) {
      answer.next();
      return answer.getString(1);
    }
  }

  private void execute(String sql) throws SQLException {
    TestDatabase.execute(url, sql);
  }

  private String single(String sql) throws SQLException {
    return TestDatabase.single(url, sql);
  }
}
