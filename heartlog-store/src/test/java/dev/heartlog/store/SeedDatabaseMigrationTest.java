package dev.heartlog.store;

import static dev.heartlog.store.TestDatabase.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * {@code heartlog migrate} on a database set up from the seed design, whose own {@code
 * system_logs} (a plain table) already holds what its workers logged.
 */
class SeedDatabaseMigrationTest {

  /** Records as the seed's function stored them, at the ages given (created_at = the seed's receive time). */
  private static final String SEED_RECORDS = "INSERT INTO system_logs "
      + "(timestamp, level, message, source_type, source_id, task_id, metadata, created_at) VALUES "
      + "(now() - interval '3 days', 'INFO', 'three days old', 'worker', 'gpu-1', 't0', '{}', now() - interval '3 days'), "
      + "(now() - interval '2 hours', 'INFO', 'claimed task', 'worker', 'gpu-1', 't1', '{\"step\": 1}', now() - interval '2 hours'), "
      + "(now() - interval '2 hours', 'warn', 'VRAM nearly full', 'worker', 'gpu-1', 't1', NULL, now() - interval '2 hours'), "
      + "(now() - interval '1 hour', 'SUCCESS', 'frames written', 'worker', 'gpu-1', 't1', '{}', now() - interval '1 hour'), "
      + "(now() - interval '1 hour', 'ERROR', 'CUDA out of memory', 'worker', 'gpu-2', 't2', '{}', NULL)";

  @Test
  void theSeedsRecordsOfTheRetentionMoveIntoHeartlogsTableWithTheirAddedColumnsAndOlderOnesStayBehind() throws SQLException {
    // A column the orchestrator added to the seed's table.
    String url = seedDatabase("ALTER TABLE system_logs ADD COLUMN run_id text",
        "UPDATE system_logs SET run_id = 'r-7' WHERE message = 'claimed task'");

    Store.open(url, null, null).migrate();

    assertThat(rows(url, "SELECT relkind::text FROM pg_class WHERE oid = 'system_logs'::regclass")).containsExactly("p");
    assertThat(rows(url, "SELECT source_id || ' ' || task_id || ' ' || level || ' ' || message || ' ' || metadata::text "
        + "FROM system_logs ORDER BY id")).containsExactly(
            "gpu-1 t1 INFO claimed task {\"step\": 1, \"run_id\": \"r-7\"}",
            "gpu-1 t1 WARNING VRAM nearly full {}",
            "gpu-1 t1 INFO frames written {\"original_level\": \"SUCCESS\"}",
            "gpu-2 t2 ERROR CUDA out of memory {}");
    assertThat(rows(url, "SELECT message FROM system_logs_seed")).as("past the 48 hours: left where it was")
        .containsExactly("three days old");
    assertThat(rows(url, "SELECT count(*)::text FROM system_logs WHERE created_at = timestamp"))
        .as("a record keeps the seed's receive time, or its own time when the seed has none").containsExactly("4");

    Store.open(url, null, null).migrate();
    assertThat(rows(url, "SELECT count(*)::text FROM system_logs")).as("migrating again moves nothing twice").containsExactly("4");
  }

  @Test
  void theSeedsTableGoesOnceItIsEmptyAndTheSeedsCallStoresIntoHeartlogs() throws SQLException {
    String url = seedDatabase("DELETE FROM system_logs WHERE message = 'three days old'");

    Store.open(url, null, null).migrate();

    assertThat(rows(url, "SELECT coalesce(to_regclass('system_logs_seed')::text, 'gone')")).containsExactly("gone");
    assertThat(rows(url, "SELECT func_worker_heartbeat_with_logs('gpu-1', 24576, 8000, "
        + "'[{\"level\": \"INFO\", \"message\": \"after the switch\", \"task_id\": \"t3\"}]'::jsonb, 't3')->>'logs_inserted'"))
        .containsExactly("1");
    assertThat(rows(url, "SELECT message FROM system_logs WHERE source_id = 'gpu-1' ORDER BY id"))
        .containsExactly("claimed task", "VRAM nearly full", "frames written", "after the switch");
  }

  @Test
  void aDeploymentsOwnVariantOfTheFunctionGoesSoThatNeitherCallIsAmbiguous() throws SQLException {
    String url = TestDatabase.freshUrl();
    // What orchestrators that serve the Python sidecar's call have: the seed's function with a sixth argument.
    execute(url, Fixtures.seedSchema().replace("  current_task_id_param TEXT\n",
        "  current_task_id_param TEXT DEFAULT NULL,\n  status_param TEXT DEFAULT 'active'\n"));
    assertThat(rows(url, "SELECT pg_get_function_identity_arguments(oid) FROM pg_proc WHERE proname = 'func_worker_heartbeat_with_logs'"))
        .singleElement().asString().endsWith("status_param text");

    Store.open(url, null, null).migrate();

    assertThat(rows(url, "SELECT func_worker_heartbeat_with_logs('gpu-1', 81559, 23017, "
        + "'[{\"level\": \"INFO\", \"message\": \"the seed worker''s call\"}]'::jsonb, 't1')->>'logs_inserted'"))
        .containsExactly("1");
    assertThat(rows(url, "SELECT func_worker_heartbeat_with_logs(worker_id_param => 'gpu-1', vram_total_mb_param => 81559, "
        + "vram_used_mb_param => 0, logs_param => '[]'::jsonb, status_param => 'crashed')->>'success'"))
        .as("the sidecar's call").containsExactly("true");
    assertThat(rows(url, "SELECT status FROM workers WHERE id = 'gpu-1'")).containsExactly("crashed");
  }

  @Test
  void aViewOnTheSeedsTableStopsTheMigrationAndNamesTheView() throws SQLException {
    String url = seedDatabase(
        "CREATE VIEW recent_errors AS SELECT timestamp, source_id, message FROM system_logs WHERE level = 'ERROR'");

    assertThatThrownBy(() -> Store.open(url, null, null).migrate())
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("recent_errors");

    assertThat(rows(url, "SELECT relkind::text FROM pg_class WHERE oid = 'system_logs'::regclass"))
        .as("the seed's table is left as it was").containsExactly("r");
    assertThat(rows(url, "SELECT count(*)::text FROM recent_errors")).containsExactly("1");
  }

  /** A new database set up from the seed design, holding {@link #SEED_RECORDS}, then {@code more} run on it. */
  private static String seedDatabase(String... more) throws SQLException {
    String url = TestDatabase.freshUrl();
    execute(url, Fixtures.seedSchema());
    execute(url, SEED_RECORDS);
    for (String statement : more) {
      execute(url, statement);
    }
    return url;
  }

  private static void execute(String url, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
