package dev.heartlog.store;

import static dev.heartlog.store.TestDatabase.execute;
import static dev.heartlog.store.TestDatabase.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** Migrations applied to a store that is not empty or not only heartlog's. */
class MigrationTest {

  private static final String ID_COLLATIONS =
      "SELECT string_agg(attname || '=' || attcollation::regcollation::text, ',' ORDER BY attname) "
          + "FROM pg_attribute WHERE attrelid = 'system_logs'::regclass AND attname IN ('source_id', 'task_id')";

  @Test
  void aNewStoreComparesWorkerAndTaskIdsInByteOrder() throws SQLException {
    String url = TestDatabase.freshUrl();
    Store.open(url, null, null).migrate();

    assertThat(single(url, ID_COLLATIONS)).isEqualTo("source_id=\"C\",task_id=\"C\"");
  }

  @Test
  void migrateTellsAListeningPostgrestToReloadItsSchema() throws SQLException {
    String url = TestDatabase.freshUrl();
    try (Connection postgrest = DriverManager.getConnection(url)) {
      postgrest.createStatement().execute("LISTEN pgrst");

      Store.open(url, null, null).migrate();

      // Notifications arrive with the next answer from the server; the wait is for a slow machine.
      PGNotification[] received = postgrest.unwrap(PGConnection.class).getNotifications(10_000);
      assertThat(received).extracting(PGNotification::getName, PGNotification::getParameter)
          .containsExactly(tuple("pgrst", "reload schema"));
    }
  }

  @Test
  void byteOrderStepsAsideForAViewOnTheIdColumnsAndTheStoreStillIngests() throws SQLException {
    String url = TestDatabase.freshUrl();
    Flyway.configure().dataSource(url, null, null).locations(Store.MIGRATIONS)
        .baselineOnMigrate(true).baselineVersion("0").target("5").load().migrate();
    execute(url, "CREATE VIEW recent_worker_logs AS SELECT timestamp, source_id, task_id, message FROM system_logs");

    int applied = Store.open(url, null, null).migrate();

    assertThat(applied).as("V6 to V16").isEqualTo(11);
    assertThat(single(url, "SELECT success::text FROM flyway_schema_history WHERE version = '6'")).isEqualTo("true");
    assertThat(single(url, ID_COLLATIONS)).isEqualTo("source_id=\"default\",task_id=\"default\"");
    assertThat(single(url, "SELECT func_worker_heartbeat_with_logs('w1', NULL, NULL, "
        + "'[{\"level\": \"INFO\", \"message\": \"after the upgrade\", \"task_id\": \"t1\"}]'::jsonb, 't1')->>'logs_inserted'"))
        .isEqualTo("1");
    assertThat(single(url, "SELECT message FROM recent_worker_logs WHERE source_id = 'w1' AND task_id = 't1'"))
        .isEqualTo("after the upgrade");
  }

  @Test
  void theSchemaStatusSaysWhatMigrateWouldDoAndChangesNothing() throws SQLException {
    String url = TestDatabase.freshUrl();
    Store store = Store.open(url, null, null);

    SchemaStatus never = store.schemaStatus();
    assertThat(never.missing()).isTrue();
    assertThat(never.pending()).startsWith("V1 schema").contains("V13 worker row refusals", "R ingest");
    assertThat(single(url, "SELECT count(*)::text FROM pg_tables WHERE schemaname = 'public'"))
        .as("reading the status creates no table, not even Flyway's history").isEqualTo("0");

    store.migrate();
    assertThat(store.schemaStatus()).isEqualTo(new SchemaStatus("16", java.util.List.of(), false));
    assertThat(store.schemaStatus().upToDate()).isTrue();

    // As a store migrated by an older heartlog: the newest migration and a changed ingest function to come.
    execute(url, "DELETE FROM flyway_schema_history WHERE version = '16'");
    execute(url, "UPDATE flyway_schema_history SET checksum = 0 WHERE script = 'R__ingest.sql'");
    SchemaStatus behind = store.schemaStatus();
    assertThat(behind.version()).isEqualTo("15");
    assertThat(behind.pending()).containsExactly("V16 worker gpu problem", "R ingest");
    assertThat(behind.missing() || behind.upToDate()).isFalse();
    assertThat(behind.newer()).isFalse();

    execute(url, "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
        + "installed_by, execution_time, success) VALUES (1000, '17', 'from a newer heartlog', 'SQL', "
        + "'V17__from_a_newer_heartlog.sql', 1, 'postgres', 1, true)");
    assertThat(store.schemaStatus().newer()).as("a version this build does not know").isTrue();
  }

  @Test
  void anOrchestratorsWorkersTableWithoutAUniqueIdStopsTheMigrationBeforeAnythingChanges() throws SQLException {
    String url = TestDatabase.freshUrl();
    execute(url, "CREATE TABLE workers (id text, status text, last_heartbeat timestamptz)");
    execute(url, "CREATE UNIQUE INDEX workers_live_id ON workers (id) WHERE status <> 'terminated'");

    assertThatThrownBy(() -> Store.open(url, null, null).migrate())
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("ERROR: heartlog: workers.id has no unique index, which a new worker's first heartbeat "
            + "needs to create its row\n  Hint: Add one (ALTER TABLE workers ADD PRIMARY KEY (id)");
    assertThat(single(url, "SELECT count(*)::text FROM pg_class WHERE relname = 'system_logs'")).isEqualTo("0");

    execute(url, "ALTER TABLE workers ADD PRIMARY KEY (id)");
    Store.open(url, null, null).migrate();
    assertThat(single(url, "SELECT func_worker_heartbeat_with_logs('new-worker', NULL, NULL, "
        + "'[{\"level\": \"INFO\", \"message\": \"first contact\"}]'::jsonb)->>'logs_inserted'")).isEqualTo("1");
    assertThat(single(url, "SELECT status FROM workers WHERE id = 'new-worker'")).isEqualTo("active");
  }

  @Test
  void aWorkersTableTheOrchestratorRebuiltAfterMigrateGetsHeartlogsColumnsBackAtTheNextMigrate() throws SQLException {
    String url = TestDatabase.freshUrl();
    Store store = Store.open(url, null, null);
    store.migrate();
    execute(url, "DROP TABLE workers");
    execute(url, "CREATE TABLE workers (id text PRIMARY KEY, status text NOT NULL DEFAULT 'spawning', region text)");
    String heartbeat = "SELECT func_worker_heartbeat_with_logs('gpu-1', 81559, 20000, "
        + "'[{\"level\": \"ERROR\", \"message\": \"CUDA out of memory\"}]'::jsonb)->>'logs_inserted'";
    assertThatThrownBy(() -> single(url, heartbeat)).hasMessageContaining("does not exist");

    store.migrate();

    assertThat(single(url, heartbeat)).isEqualTo("1");
    assertThat(store.workers(Store.DEFAULT_STALE_AFTER)).singleElement()
        .extracting(WorkerHealth::health, WorkerHealth::vramUsedMb, WorkerHealth::errorsLastHour)
        .containsExactly("active", 20000, 1L);
  }

  @Test
  void anOrchestratorsWorkersViewIsRefusedSayingToRunHeartlogInTheSchemaOfItsTable() throws SQLException {
    String url = TestDatabase.freshUrl();
    execute(url, "CREATE SCHEMA orch");
    execute(url, "CREATE TABLE orch.workers (id text PRIMARY KEY, status text, last_heartbeat timestamptz)");
    execute(url, "CREATE VIEW workers AS SELECT * FROM orch.workers");

    assertThatThrownBy(() -> Store.open(url, null, null).migrate())
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("ERROR: heartlog: workers is a view, where heartlog needs the table itself: migrate adds "
            + "columns to it, and heartbeats write each worker's row there\n  Hint: Run heartlog in the schema of the "
            + "table the orchestrator keeps its workers in: currentSchema=<that schema> in the JDBC URL");
    assertThat(single(url, "SELECT count(*)::text FROM pg_class WHERE relname = 'system_logs'")).isEqualTo("0");

    Store inOrch = Store.open(url + "&currentSchema=orch", null, null);
    inOrch.migrate();
    inOrch.withConnection(c -> c.createStatement().execute("SELECT func_worker_heartbeat_with_logs('gpu-1', NULL, NULL, "
        + "'[{\"level\": \"ERROR\", \"message\": \"CUDA out of memory\"}]'::jsonb)"));
    assertThat(inOrch.workers(Store.DEFAULT_STALE_AFTER)).singleElement()
        .extracting(WorkerHealth::id, WorkerHealth::errorsLastHour).containsExactly("gpu-1", 1L);
    assertThat(single(url, "SELECT status FROM workers WHERE id = 'gpu-1'")).as("through the view").isEqualTo("active");
  }

  @Test
  void aUserWhoDoesNotOwnTheOrchestratorsWorkersTableIsToldToMigrateAsItsOwner() throws SQLException {
    String url = TestDatabase.freshUrl();
    execute(url, "CREATE TABLE workers (id text PRIMARY KEY, status text, last_heartbeat timestamptz)");

    assertThat(migrationFailureAs(url, "migration_test_creator", "GRANT CREATE ON SCHEMA public TO migration_test_creator"))
        .isEqualTo("migrating " + shown(url) + " failed: ERROR: must be owner of table workers (migrate changes table workers, "
            + "which only its owner may: run it as the user who owns it, or a member of that user's role)");
  }

  @Test
  void aUserWhoMayNotCreateTablesIsToldWhoMay() throws SQLException {
    String url = TestDatabase.freshUrl();

    // PostgreSQL 15+: a new login has no CREATE on public.
    assertThat(migrationFailureAs(url, "migration_test_lowly")).isEqualTo("migrating " + shown(url)
        + " failed: ERROR: permission denied for schema public (migrate needs a user who may create tables and "
        + "functions in the schema: the database's owner, or one granted CREATE on it)");
  }

  /** The URL as messages show it: a test server's password (HEARTLOG_TEST_JDBC_URL) masked. */
  private static String shown(String url) {
    return Store.open(url, null, null).displayUrl();
  }

  /** What migrate says to a new login that may do only what {@code grants} (SQL) give it. */
  private static String migrationFailureAs(String url, String login, String... grants) throws SQLException {
    execute(url, "DROP ROLE IF EXISTS " + login);
    execute(url, "CREATE ROLE " + login + " LOGIN PASSWORD 'migration test'");
    try {
      for (String grant : grants) {
        execute(url, grant);
      }
      Store store = Store.open(url, login, "migration test");
      return catchThrowableOfType(store::migrate, StoreException.class).getMessage();
    } finally {
      execute(url, "DROP OWNED BY " + login);
      execute(url, "DROP ROLE " + login);
    }
  }

  @Test
  void theIngestFunctionStaysWhenItsMigrationRunsAgain() throws SQLException {
    String url = TestDatabase.freshUrl();
    Store.open(url, null, null).migrate();
    String oid = "SELECT string_agg(oid::text, ',') FROM pg_proc WHERE proname = 'func_worker_heartbeat_with_logs'";
    String before = single(url, oid);
    // As after an upgrade that changed R__ingest.sql: Flyway applies it again.
    execute(url, "UPDATE flyway_schema_history SET checksum = 0 WHERE script = 'R__ingest.sql'");

    Store.open(url, null, null).migrate();

    assertThat(single(url, "SELECT count(*)::text FROM flyway_schema_history WHERE script = 'R__ingest.sql'")).isEqualTo("2");
    assertThat(single(url, oid)).as("replaced in place, not dropped (which would drop its grants)").isEqualTo(before);
  }

  @Test
  void anOrchestratorsWorkersTableOfOtherTypesStopsTheMigrationBeforeAnythingChanges() throws SQLException {
    String url = TestDatabase.freshUrl();
    execute(url, "CREATE TYPE worker_status AS ENUM ('active', 'stopped', 'crashed')");
    execute(url, "CREATE TABLE workers (id uuid PRIMARY KEY, status worker_status, last_heartbeat timestamptz, "
        + "vram_total_mb bigint, vram_used_mb text, current_task_id uuid)");

    assertThatThrownBy(() -> Store.open(url, null, null).migrate())
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("heartlog: workers.id is uuid, workers.vram_used_mb is text, which heartbeats cannot write");

    assertThat(single(url, "SELECT count(*)::text FROM pg_class WHERE relname IN ('system_logs', 'worker_heartbeats')"))
        .isEqualTo("0");
    execute(url, "ALTER TABLE workers ALTER COLUMN id TYPE text, ALTER COLUMN vram_used_mb TYPE integer USING NULL");
    assertThat(Store.open(url, null, null).migrate()).as("after the hint's change; the enum and the uuid task stay")
        .isPositive();
  }
}
