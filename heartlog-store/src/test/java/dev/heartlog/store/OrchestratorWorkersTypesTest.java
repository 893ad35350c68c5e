package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An orchestrator's {@code workers} of its own types, as a Supabase project often has them: the
 * status an enum, the task a uuid. The seed's function wrote {@code 'active'} there, a literal the
 * enum reads; heartlog's heartbeats write their status and task through the columns' own types.
 */
class OrchestratorWorkersTypesTest {

  private static final String TASK = "9b2e4c1a-5f3d-4e8b-a6c7-1d2e3f4a5b6c";

  private String url;
  private Store store;

  @BeforeEach
  void orchestratorsTableThenMigrate() throws SQLException {
    url = TestDatabase.freshUrl();
    execute("CREATE TYPE worker_status AS ENUM ('spawning', 'active', 'crashed')");
    execute("CREATE TABLE workers (id text PRIMARY KEY, status worker_status NOT NULL DEFAULT 'spawning', "
        + "last_heartbeat timestamptz, vram_total_mb int, vram_used_mb int, current_task_id uuid)");
    execute("INSERT INTO workers (id) VALUES ('gpu-1')");
    store = Store.open(url, null, null);
    store.migrate();
  }

  @Test
  void aHeartbeatWritesTheEnumStatusAndTheUuidTaskAndTheFleetViewShowsThem() throws SQLException {
    String answer = heartbeat("gpu-1", "active", TASK, "frame 1 rendered");

    assertThat(answer).contains("\"logs_inserted\": 1").doesNotContain("worker_row_error");
    assertThat(single("SELECT status::text || ' ' || current_task_id::text FROM workers WHERE id = 'gpu-1'"))
        .isEqualTo("active " + TASK);
    WorkerHealth health = store.workers(Duration.ofMinutes(1)).get(0);
    assertThat(health.health()).isEqualTo("active");
    assertThat(health.currentTaskId()).isEqualTo(TASK);
    assertThat(store.workerHealth("gpu-1").orElseThrow().health()).isEqualTo("active");
  }

  @Test
  void aNewWorkersFirstHeartbeatCreatesItsRowInTheTablesTypes() throws SQLException {
    heartbeat("gpu-2", "active", null, "worker started");

    assertThat(single("SELECT status::text || ' ' || (current_task_id IS NULL) FROM workers WHERE id = 'gpu-2'"))
        .isEqualTo("active true");
  }

  @Test
  void aStatusTheEnumDoesNotListOrATaskIdThatIsNoUuidStoresTheRecordsAndSaysWhyTheRowStayed() throws SQLException {
    heartbeat("gpu-1", "active", TASK, "frame 1 rendered");

    String stopped = heartbeat("gpu-1", "stopped", TASK, "shutting down");
    String oddTask = heartbeat("gpu-1", "active", "render-42", "task render-42 claimed");

    assertThat(stopped).contains("\"success\": true", "\"logs_inserted\": 1",
        "\"worker_row_error\": \"invalid input value for enum worker_status: \\\"stopped\\\"\"");
    assertThat(oddTask).contains("\"logs_inserted\": 1",
        "\"worker_row_error\": \"invalid input syntax for type uuid: \\\"render-42\\\"\"");
    assertThat(single("SELECT string_agg(message, ', ' ORDER BY id) FROM system_logs"))
        .isEqualTo("frame 1 rendered, shutting down, task render-42 claimed");
    assertThat(single("SELECT string_agg(status, ', ' ORDER BY received_at) FROM worker_heartbeats"))
        .as("the heartbeat history has them").isEqualTo("active, stopped, active");
    assertThat(single("SELECT status::text || ' ' || current_task_id::text FROM workers WHERE id = 'gpu-1'"))
        .isEqualTo("active " + TASK);
  }

  @Test
  void aTriggerOfTheOrchestratorsThatRaisesLeavesTheRowAndStoresTheRecords() throws SQLException {
    execute("CREATE FUNCTION refuse_crashed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        + "IF NEW.status = 'crashed' THEN RAISE EXCEPTION 'crashed workers are reaped by the orchestrator'; END IF; "
        + "RETURN NEW; END $$");
    execute("CREATE TRIGGER refuse_crashed BEFORE UPDATE ON workers FOR EACH ROW EXECUTE FUNCTION refuse_crashed()");

    String answer = heartbeat("gpu-1", "crashed", null, "segmentation fault");

    assertThat(answer).contains("\"logs_inserted\": 1",
        "\"worker_row_error\": \"crashed workers are reaped by the orchestrator\"");
    assertThat(single("SELECT status::text FROM workers WHERE id = 'gpu-1'")).isEqualTo("spawning");
  }

  @Test
  void theSeedsPlainHeartbeatWritesTheTablesTypesAndAnswersThemAsText() {
    var row = store.updateWorker("gpu-1", Map.of("status", "active", "current_task_id", TASK), true, null);

    assertThat(row).hasValueSatisfying(json -> assertThat(json)
        .contains("\"status\":\"active\"", "\"current_task_id\":\"" + TASK + "\""));
    assertThatThrownBy(() -> store.updateWorker("gpu-1", Map.of("status", "stopped"), false, null))
        .isInstanceOf(StoreException.class)
        .satisfies(e -> assertThat(((StoreException) e).sqlState()).isEqualTo("22P02"));
  }

  private String heartbeat(String worker, String status, String task, String message) throws SQLException {
    return store.ingest(new IngestCall(worker, null, null,
        "[{\"level\": \"INFO\", \"message\": \"" + message + "\"}]", task, status, null, null, null));
  }

  private void execute(String sql) throws SQLException {
    TestDatabase.execute(url, sql);
  }

  private String single(String sql) throws SQLException {
    return TestDatabase.single(url, sql);
  }
}
