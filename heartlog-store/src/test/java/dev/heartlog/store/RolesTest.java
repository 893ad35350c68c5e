package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The database roles (DESIGN.md, "Roles"): a writer may call the ingest function and nothing
 * else, only as its own workers; a reader may read and not write. Each test logs in as the roles
 * it made, on a real PostgreSQL.
 */
class RolesTest {

  private static final String ONE_RECORD =
      "[{\"timestamp\": \"2026-11-29T10:00:00.000000Z\", \"level\": \"ERROR\", \"message\": \"CUDA out of memory\","
          + " \"task_id\": \"task-1\", \"metadata\": {}}]";
  private static final String PASSWORD = "a password for tests";

  private String url;
  private Store store;
  private final List<String> logins = new ArrayList<>();

  @BeforeEach
  void freshStore() {
    url = TestDatabase.migratedUrl();
    store = Store.open(url, null, null);
  }

  @AfterEach
  void dropLogins() throws SQLException {
    TestDatabase.dropLogins(url, logins);
  }

  @Test
  void aWriterWritesOnlyAsItsOwnWorkers() throws SQLException {
    String writer = login("writer");
    assertThat(store.roles().grantWriter(writer, "gpu-", PASSWORD)).isTrue();

    try (Connection connection = connectAs(writer)) {
      assertThat(TestDatabase.heartbeat(connection, "gpu-7", ONE_RECORD)).contains("\"success\": true", "\"logs_inserted\": 1");
      assertThatThrownBy(() -> TestDatabase.heartbeat(connection, "cpu-1", ONE_RECORD))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"))
          .hasMessageContaining("may write only as workers whose id starts with \"gpu-\", not as \"cpu-1\"");
    }
    assertThat(count("SELECT count(*) FROM system_logs WHERE source_id = 'gpu-7'")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM workers WHERE id = 'cpu-1'")).isZero();
  }

  @Test
  void noRoleIsGivenToALoginNoRoleLimitsNorUnderANamePostgresqlWouldCut() throws SQLException {
    // The user that migrated the store: a superuser here, its tables' owner where it is not.
    // Before, it was said to "send heartbeats as the workers whose id starts with gpu-, and do
    // nothing else", having every right still.
    String owner = store.withConnection(c -> {
      try (var rs = c.createStatement().executeQuery("SELECT current_user")) {
        rs.next();
        return rs.getString(1);
      }
    });
    assertThatThrownBy(() -> store.roles().grantWriter(owner, "gpu-", PASSWORD)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageMatching(owner + " (is a superuser|owns heartlog's tables), which no role of heartlog's limits: .*");
    assertThatThrownBy(() -> store.roles().grantReader(owner, PASSWORD)).hasMessageStartingWith(owner + " ");
    assertThat(count("SELECT count(*) FROM heartlog_writers")).isZero();

    String tooLong = "heartlog_test_" + "w".repeat(50);
    logins.add(tooLong.substring(0, Roles.MAX_NAME_BYTES));
    // PostgreSQL cut it to 63 bytes without a word: created under the cut name, said under the
    // whole one, and the same grant run again failed with "role ... already exists".
    assertThatThrownBy(() -> store.roles().grantWriter(tooLong, "gpu-", PASSWORD))
        .hasMessage("the login " + tooLong + " is 64 bytes long; PostgreSQL keeps names of at most 63 bytes and would cut it");
    assertThat(count("SELECT count(*) FROM pg_roles WHERE rolname = left('" + tooLong + "', 63)")).isZero();
    for (String blank : new String[] {"", " "}) {
      assertThatThrownBy(() -> store.roles().grantReader(blank, PASSWORD)).hasMessage("the login is blank: give its name");
      assertThatThrownBy(() -> store.roles().revoke(blank)).hasMessage("the login is blank: give its name");
    }
  }

  @Test
  void aWriterOfAnotherHeartlogDatabaseOnTheServerMayNotWriteHere() throws SQLException {
    // Roles belong to the server, so the login is a member of heartlog_writer in every database.
    String writer = login("writer");
    store.roles().grantWriter(writer, "gpu-", PASSWORD);
    String home = url;
    url = TestDatabase.migratedUrl();
    Store other = Store.open(url, null, null);

    try (Connection connection = connectAs(writer)) {
      // A store without writers runs the function with the caller's rights: no right on the tables.
      assertThatThrownBy(() -> TestDatabase.heartbeat(connection, "gpu-7", ONE_RECORD))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
    }
    other.roles().grantWriter(login("writer"), "cpu-", PASSWORD);
    try (Connection connection = connectAs(writer)) {
      assertThatThrownBy(() -> TestDatabase.heartbeat(connection, "gpu-7", ONE_RECORD))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"))
          .hasMessageContaining("is a writer without workers in this database");
    }
    assertThat(count("SELECT count(*) FROM workers")).isZero();
    url = home;
  }

  @Test
  void aWriterCanNeitherReadNorChangeTheTables() throws SQLException {
    String writer = login("writer");
    store.roles().grantWriter(writer, "", PASSWORD);

    try (Connection connection = connectAs(writer)) {
      TestDatabase.heartbeat(connection, "any-worker", ONE_RECORD);
      for (String sql : List.of(
          "SELECT count(*) FROM system_logs",
          "DELETE FROM system_logs",
          "UPDATE workers SET status = 'offline'",
          "INSERT INTO system_logs (level, message, source_type, source_id) VALUES ('INFO', 'forged', 'worker', 'x')",
          "SELECT heartlog_grant_writer('" + writer + "', 'other-')")) {
        assertThatThrownBy(() -> execute(connection, sql))
            .as(sql)
            .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
      }
    }
    assertThat(count("SELECT count(*) FROM system_logs")).isEqualTo(1);
  }

  @Test
  void aReaderReadsWhatTheCommandLineReadsAndWritesNothing() throws SQLException {
    try (Connection owner = DriverManager.getConnection(url)) {
      TestDatabase.heartbeat(owner, "gpu-1", ONE_RECORD);
    }
    String reader = login("reader");
    assertThat(store.roles().grantReader(reader, PASSWORD)).isTrue();

    Store asReader = Store.open(url, reader, PASSWORD);
    assertThat(asReader.logs(new LogFilter(null, null, null, null, null, null, 10)))
        .extracting(StoredRecord::message).containsExactly("CUDA out of memory");
    assertThat(asReader.workers(Duration.ofMinutes(1))).extracting(WorkerHealth::id).containsExactly("gpu-1");
    assertThat(asReader.task("task-1").records()).hasSize(1);
    assertThat(asReader.worker("gpu-1", 10, 10)).isPresent();
    assertThat(asReader.lastLogId()).isPositive();
    assertThat(asReader.summarizeNewIds()).isNotNegative();

    try (Connection connection = connectAs(reader)) {
      for (String sql : List.of("DELETE FROM system_logs", "UPDATE workers SET status = 'offline'")) {
        assertThatThrownBy(() -> execute(connection, sql))
            .as(sql)
            .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
      }
      assertThatThrownBy(() -> TestDatabase.heartbeat(connection, "gpu-1", ONE_RECORD))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
    }
  }

  @Test
  void aUserThatCouldInsertRecordsKeepsTheIngestFunctionAndOthersLoseIt() throws SQLException {
    // An upgrade must not cut off a fleet's existing database user: the function now runs as its
    // owner, and only those that could store records without it may call it.
    String fleetUser = login("fleet");
    String stranger = login("stranger");
    try (Connection owner = DriverManager.getConnection(url); Statement statement = owner.createStatement()) {
      statement.execute("CREATE ROLE " + fleetUser + " LOGIN PASSWORD '" + PASSWORD + "'");
      statement.execute("CREATE ROLE " + stranger + " LOGIN PASSWORD '" + PASSWORD + "'");
      statement.execute("GRANT INSERT ON system_logs TO " + fleetUser);
    }
    store.roles().grantWriter(login("writer"), "gpu-", PASSWORD);   // the function now runs as its owner
    store.migrate();

    try (Connection connection = connectAs(fleetUser)) {
      assertThat(TestDatabase.heartbeat(connection, "gpu-2", ONE_RECORD)).contains("\"logs_inserted\": 1");
    }
    try (Connection connection = connectAs(stranger)) {
      assertThatThrownBy(() -> TestDatabase.heartbeat(connection, "gpu-2", ONE_RECORD))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
    }
  }

  @Test
  void aFleetsDatabaseUserWritesAfterTheUpgradeToV10() throws SQLException {
    // A store at V9 and a fleet user given the tables as a Supabase project gives them to its
    // API roles. (Flyway applies the repeatable migrations of this build at any target, so the
    // function is already this build's here: the user is made after them, as after an upgrade.)
    String upgraded = TestDatabase.freshUrl();
    Flyway.configure().dataSource(upgraded, null, null).locations(Store.MIGRATIONS)
        .baselineOnMigrate(true).baselineVersion("0").target("9").load().migrate();
    String fleetUser = login("fleet");
    try (Connection owner = DriverManager.getConnection(upgraded); Statement statement = owner.createStatement()) {
      statement.execute("CREATE ROLE " + fleetUser + " LOGIN PASSWORD '" + PASSWORD + "'");
      statement.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO " + fleetUser);
      statement.execute("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO " + fleetUser);
    }
    url = upgraded;

    assertThat(Store.open(upgraded, null, null).migrate()).as("V10 to V16").isEqualTo(7);

    try (Connection connection = connectAs(fleetUser)) {
      assertThat(TestDatabase.heartbeat(connection, "gpu-8", ONE_RECORD)).contains("\"logs_inserted\": 1");
    }
    assertThat(count("SELECT count(*) FROM system_logs WHERE source_id = 'gpu-8'")).isEqualTo(1);
  }

  @Test
  void whereOthersMayCreateInTheSchemaTheFunctionsKeepTheCallersRightsAndNoWriterIsMade() throws SQLException {
    // PostgreSQL 14's default for the schema public. A function running as its owner there could
    // be made to call a function someone planted (CVE-2018-1058).
    try (Connection owner = DriverManager.getConnection(url); Statement statement = owner.createStatement()) {
      statement.execute("GRANT CREATE ON SCHEMA public TO PUBLIC");
    }
    store.migrate();

    assertThat(definers()).isEmpty();
    assertThat(store.roles().problem()).hasValueSatisfying(problem -> assertThat(problem)
        .contains("others may create objects in schema public", "REVOKE CREATE ON SCHEMA public FROM PUBLIC"));
    String writer = login("writer");
    assertThatThrownBy(() -> store.roles().grantWriter(writer, "gpu-", PASSWORD))
        .isInstanceOf(StoreException.class).hasMessageContaining(writer + " is not made a writer");
    assertThat(count("SELECT count(*) FROM pg_roles WHERE rolname = '" + writer + "'")).as("login not left behind").isZero();

    try (Connection owner = DriverManager.getConnection(url); Statement statement = owner.createStatement()) {
      statement.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
    }
    store.migrate();

    assertThat(store.roles().problem()).isEmpty();
    assertThat(definers()).containsExactly("heartlog_summarize_new_ids");
    assertThat(store.roles().grantWriter(writer, "gpu-", PASSWORD)).isTrue();
    assertThat(definers()).containsExactly("func_worker_heartbeat_with_logs", "heartlog_summarize_new_ids");
  }

  @Test
  void theOwnersOwnRightToCreateInTheSchemaIsNoReasonToKeepTheCallersRights() throws SQLException {
    // Since PostgreSQL 15 only the schema's owner may create in public, so an application's
    // database user is commonly given that right outright, and heartlog migrated as that user.
    // The owner of heartlog's functions planting objects for them gains nothing it lacks.
    String application = login("app");
    url = TestDatabase.freshUrl();
    try (Connection admin = DriverManager.getConnection(url); Statement statement = admin.createStatement()) {
      statement.execute("CREATE ROLE " + application + " LOGIN PASSWORD '" + PASSWORD + "'");
      statement.execute("GRANT ALL ON SCHEMA public TO " + application);
    }
    Store asApplication = Store.open(url.replaceAll("[?&](user|password)=[^&]*", ""), application, PASSWORD);
    asApplication.migrate();

    assertThat(asApplication.roles().problem()).isEmpty();
    assertThat(definers()).containsExactly("heartlog_summarize_new_ids");

    // Anyone else given the right still is a reason.
    String other = login("other");
    try (Connection admin = DriverManager.getConnection(url); Statement statement = admin.createStatement()) {
      statement.execute("CREATE ROLE " + other + " NOLOGIN");
      statement.execute("GRANT CREATE ON SCHEMA public TO " + other);
    }
    assertThat(asApplication.roles().problem()).hasValueSatisfying(problem -> assertThat(problem)
        .contains("REVOKE CREATE ON SCHEMA public FROM " + other).doesNotContain(application));
  }

  @Test
  void theIngestFunctionRunsAsItsOwnerOnlyWhileTheDatabaseHasAWriter() throws SQLException {
    // Running as its owner costs each call about 2% (BENCHMARKS.md §8): a store without writers
    // does not pay it, and its function runs as before V10.
    assertThat(definers()).containsExactly("heartlog_summarize_new_ids");
    String writer = login("writer");
    store.roles().grantWriter(writer, "gpu-", PASSWORD);
    assertThat(definers()).containsExactly("func_worker_heartbeat_with_logs", "heartlog_summarize_new_ids");

    store.roles().revoke(writer);

    assertThat(definers()).containsExactly("heartlog_summarize_new_ids");
  }

  @Test
  void aWritersOwnTemporaryTableOfPrefixesIsNotRead() throws SQLException {
    String writer = login("writer");
    store.roles().grantWriter(writer, "gpu-", PASSWORD);

    try (Connection connection = connectAs(writer)) {
      execute(connection, "CREATE TEMPORARY TABLE heartlog_writers (role_name name, worker_prefix text)");
      execute(connection, "INSERT INTO heartlog_writers VALUES (session_user, '')");
      assertThatThrownBy(() -> TestDatabase.heartbeat(connection, "cpu-1", ONE_RECORD))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"))
          .hasMessageContaining("whose id starts with \"gpu-\"");
    }
  }

  @Test
  void theWritersPrefixesAreTheOwnersAloneWhereNewTablesAreGrantedToOthersByDefault() throws SQLException {
    // Supabase grants its API roles every table made in the schema public, by default privileges.
    String apiRole = login("api");
    url = TestDatabase.freshUrl();
    try (Connection owner = DriverManager.getConnection(url); Statement statement = owner.createStatement()) {
      statement.execute("CREATE ROLE " + apiRole + " NOLOGIN");
      statement.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO " + apiRole);
      statement.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO PUBLIC");
    }
    Store.open(url, null, null).migrate();

    for (String table : List.of("heartlog_writers", "heartlog_revoked_tokens")) {
      for (String privilege : List.of("SELECT", "INSERT", "UPDATE", "DELETE")) {
        assertThat(count("SELECT count(*) FROM pg_roles WHERE rolname = '" + apiRole + "' AND has_table_privilege(oid, "
            + "'" + table + "', '" + privilege + "')")).as(table + " " + privilege).isZero();
      }
      assertThat(count("SELECT count(*) FROM aclexplode((SELECT relacl FROM pg_class WHERE relname = '" + table + "')) "
          + "WHERE grantee = 0")).as(table + " PUBLIC").isZero();
    }
    // Its other tables are the operator's to lock down: an orchestrator may read workers as that role.
    assertThat(count("SELECT count(*) FROM pg_roles WHERE rolname = '" + apiRole + "' AND has_table_privilege(oid, "
        + "'workers', 'SELECT')")).isEqualTo(1);
  }

  @Test
  void behindPostgrestTheRoleItSwitchesToIsAWriterAndATokenNarrowsIt() throws SQLException {
    // PostgREST logs in as an authenticator role (NOINHERIT) and switches, per request, to the
    // role its token names, handing the token's claims over as request.jwt.claims. Locked down as
    // README says: that role made a writer for any worker, its rights on the tables taken back.
    String authenticator = login("authenticator");
    String api = login("api");
    String service = login("service");   // the orchestrator's own key, Supabase's service_role
    String anonymous = login("anon");    // the project's key alone, without a token: Supabase's anon
    try (Connection owner = DriverManager.getConnection(url); Statement statement = owner.createStatement()) {
      statement.execute("CREATE ROLE " + api + " NOLOGIN");
      statement.execute("CREATE ROLE " + service + " NOLOGIN");
      statement.execute("CREATE ROLE " + anonymous + " NOLOGIN");
      statement.execute("CREATE ROLE " + authenticator + " LOGIN NOINHERIT PASSWORD '" + PASSWORD + "'");
      statement.execute("GRANT " + api + ", " + service + ", " + anonymous + " TO " + authenticator);
      // As Supabase grants them.
      statement.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO " + api + ", " + service + ", " + anonymous);
      // Supabase's default privileges give its API roles every function made in public as well.
      statement.execute("GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO " + api + ", " + service + ", " + anonymous);
    }
    assertThat(store.roles().grantWriter(api, "", PASSWORD)).as("an existing role is not created").isFalse();
    try (Connection owner = DriverManager.getConnection(url); Statement statement = owner.createStatement()) {
      statement.execute("REVOKE ALL ON system_logs, workers, worker_heartbeats, worker_sessions FROM " + api + ", " + anonymous);
    }

    try (Connection connection = connectAs(authenticator)) {
      assertThat(TestDatabase.heartbeatAsPostgrest(connection, api, null, null, "cpu-1", ONE_RECORD)).contains("\"logs_inserted\": 1");
      String claims = "{\"role\": \"" + api + "\", \"heartlog_workers\": \"gpu-\"}";
      assertThat(TestDatabase.heartbeatAsPostgrest(connection, api, "request.jwt.claims", claims, "gpu-1", ONE_RECORD)).contains("\"logs_inserted\": 1");
      assertThatThrownBy(() -> TestDatabase.heartbeatAsPostgrest(connection, api, "request.jwt.claims", claims, "cpu-1", ONE_RECORD))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"))
          .hasMessageContaining("this token may write only as workers whose id starts with \"gpu-\"");
      // Every worker holds the project's key (it goes as apikey): without a token, as the
      // anonymous role, it must not write as any worker it likes. That role was given the call
      // when it could still insert records; it may not any more, and is no writer.
      assertThatThrownBy(() -> TestDatabase.heartbeatAsPostgrest(connection, anonymous, null, null, "gpu-1", ONE_RECORD))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"))
          .hasMessageContaining(anonymous + " may not write here");
      // A token revoked: the function, running as its owner, reads what only the owner may.
      String issued = "{\"role\": \"" + api + "\", \"heartlog_workers\": \"gpu-\", \"iat\": "
          + (java.time.Instant.now().getEpochSecond() - 60) + "}";
      assertThat(TestDatabase.heartbeatAsPostgrest(connection, api, "request.jwt.claims", issued, "gpu-1", ONE_RECORD))
          .contains("\"logs_inserted\": 1");
      store.roles().revokeTokens("gpu-");
      assertThatThrownBy(() -> TestDatabase.heartbeatAsPostgrest(connection, api, "request.jwt.claims", issued, "gpu-1", ONE_RECORD))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"))
          .hasMessageContaining("the tokens for the workers \"gpu-\" issued before");
      // The orchestrator's key still writes: its role may insert records anyway.
      assertThat(TestDatabase.heartbeatAsPostgrest(connection, service, null, null, "any-worker", ONE_RECORD))
          .contains("\"logs_inserted\": 1");
      // Nor may they use heartlog's other functions, which they may call but which run with
      // their rights: who may write, and which tokens are revoked, stay the owner's to change.
      for (String sql : List.of("SELECT count(*) FROM system_logs",
          "INSERT INTO system_logs (level, message, source_type, source_id) VALUES ('INFO', 'forged', 'worker', 'x')",
          "SELECT count(*) FROM heartlog_writers", "DELETE FROM heartlog_revoked_tokens",
          "SELECT heartlog_revoke_tokens('gpu-')", "SELECT heartlog_grant_writer('" + anonymous + "', '')",
          "SELECT heartlog_revoke('" + api + "')", "SELECT heartlog_grant_roles()")) {
        for (String role : List.of(api, anonymous)) {
          assertThatThrownBy(() -> asRole(connection, role, sql))
              .as(role + ": " + sql)
              .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
        }
      }
    }

    // Every signed-in user of the project's app holds a token for the same role, without the
    // claim: with --token-required, only the tokens of heartlog token write.
    store.roles().grantWriter(api, "", true, PASSWORD);
    try (Connection connection = connectAs(authenticator)) {
      String appUser = "{\"role\": \"" + api + "\", \"sub\": \"5f0c6e1e-app-user\"}";
      assertThatThrownBy(() -> TestDatabase.heartbeatAsPostgrest(connection, api, "request.jwt.claims", appUser, "gpu-1", ONE_RECORD))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"))
          .hasMessageContaining(api + " writes only with a token from heartlog token --workers PREFIX");
      String worker = "{\"role\": \"" + api + "\", \"heartlog_workers\": \"cpu-\", \"iat\": "
          + java.time.Instant.now().getEpochSecond() + "}";
      assertThat(TestDatabase.heartbeatAsPostgrest(connection, api, "request.jwt.claims", worker, "cpu-1", ONE_RECORD))
          .contains("\"logs_inserted\": 1");
    }

    store.roles().grantWriter(api, "gpu-", PASSWORD);
    try (Connection connection = connectAs(authenticator)) {
      assertThatThrownBy(() -> TestDatabase.heartbeatAsPostgrest(connection, api, null, null, "cpu-2", ONE_RECORD))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"))
          .hasMessageContaining(api + " may write only as workers whose id starts with \"gpu-\", not as \"cpu-2\"");
    }
    assertThat(count("SELECT count(*) FROM system_logs WHERE source_id IN ('cpu-1', 'gpu-1')")).isEqualTo(4);
    assertThat(count("SELECT count(*) FROM workers WHERE id = 'cpu-2'")).isZero();
  }

  private static void asRole(Connection connection, String role, String sql) throws SQLException {
    connection.setAutoCommit(false);
    try {
      execute(connection, "SET LOCAL ROLE " + role);
      execute(connection, sql);
    } finally {
      connection.rollback();
      connection.setAutoCommit(true);
    }
  }

  /** heartlog's functions that run as their owner, by name. */
  private List<String> definers() throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection owner = DriverManager.getConnection(url);
        Statement statement = owner.createStatement();
        ResultSet rs = statement.executeQuery("SELECT proname FROM pg_proc WHERE prosecdef AND proname IN "
            + "('func_worker_heartbeat_with_logs', 'heartlog_summarize_new_ids') ORDER BY 1")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  @Test
  void grantingAgainChangesTheWorkersAndRevokingEndsWriting() throws SQLException {
    String writer = login("writer");
    store.roles().grantWriter(writer, "gpu-", PASSWORD);
    assertThat(store.roles().grantWriter(writer, "cpu-", "unused")).isFalse();

    try (Connection connection = connectAs(writer)) {
      assertThat(TestDatabase.heartbeat(connection, "cpu-1", ONE_RECORD)).contains("\"success\": true");
      assertThatThrownBy(() -> TestDatabase.heartbeat(connection, "gpu-1", ONE_RECORD)).isInstanceOf(SQLException.class);
    }
    store.roles().revoke(writer);
    try (Connection connection = connectAs(writer)) {
      assertThatThrownBy(() -> TestDatabase.heartbeat(connection, "cpu-1", ONE_RECORD))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
    }
    assertThat(count("SELECT count(*) FROM heartlog_writers")).isZero();
  }

  /** A role name no other test on this server uses; dropped after the test. */
  private String login(String kind) {
    String name = "heartlog_test_" + kind + "_" + UUID.randomUUID().toString().substring(0, 8);
    logins.add(name);
    return name;
  }

  private Connection connectAs(String login) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", login);
    properties.setProperty("password", PASSWORD);
    return DriverManager.getConnection(url.replaceAll("[?&](user|password)=[^&]*", ""), properties);
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private long count(String sql) throws SQLException {
    try (Connection owner = DriverManager.getConnection(url);
        Statement statement = owner.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
