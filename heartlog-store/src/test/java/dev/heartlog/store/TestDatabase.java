package dev.heartlog.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL for tests: the server named by {@code HEARTLOG_TEST_JDBC_URL}, else one
 * embedded server per test JVM. Each call of {@link #freshUrl()} creates a new, empty database,
 * so test classes never see each other's rows.
 */
public final class TestDatabase {

  /** Names a PostgreSQL server to test against instead of the embedded one. */
  public static final String URL_VARIABLE = "HEARTLOG_TEST_JDBC_URL";

  private static final Pattern DATABASE_IN_URL =
      Pattern.compile("^(jdbc:postgresql://[^/?]+/)([^?]*)(\\?.*)?$");

  private static String serverUrl;
  private static String migratedTemplate;

  private TestDatabase() {}

  /** The JDBC URL of a new, empty database (user and password included). */
  public static String freshUrl() {
    return freshUrl("");
  }

  /** The same, created with these options of CREATE DATABASE ({@code ENCODING 'LATIN1' ...}). */
  public static synchronized String freshUrl(String createOptions) {
    String server = serverUrl();
    String name = "heartlog_test_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection connection = DriverManager.getConnection(server);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name + " " + createOptions);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a test database on " + server, e);
    }
    Matcher matcher = urlParts(server);
    return matcher.group(1) + name + (matcher.group(3) == null ? "" : matcher.group(3));
  }

  private static String databaseOf(String url) {
    return urlParts(url).group(2);
  }

  private static Matcher urlParts(String url) {
    Matcher matcher = DATABASE_IN_URL.matcher(url);
    if (!matcher.matches()) {
      throw new IllegalStateException(URL_VARIABLE + " must look like jdbc:postgresql://host:port/db?user=...");
    }
    return matcher;
  }

  /**
   * A test database's JDBC URL ({@code jdbc:postgresql://host:port/db?user=u&password=p}) written
   * as the URI psql and Supabase show: {@code postgresql://u:p@host:port/db}.
   */
  public static String asUri(String jdbcUrl) {
    Matcher url = Pattern.compile("^jdbc:postgresql://([^/]+)/([^?]+)\\?(.*)$").matcher(jdbcUrl);
    if (!url.matches()) {
      throw new IllegalArgumentException("not a test database's URL: " + jdbcUrl);
    }
    java.util.Map<String, String> parameters = new java.util.HashMap<>();
    for (String pair : url.group(3).split("&")) {
      parameters.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
    }
    return "postgresql://" + parameters.get("user") + (parameters.containsKey("password") ? ":" + parameters.get("password") : "")
        + "@" + url.group(1) + "/" + url.group(2);
  }

  /**
   * The JDBC URL of a new database with heartlog's schema, as {@code heartlog migrate} leaves one:
   * a copy ({@code CREATE DATABASE ... TEMPLATE}) of a database this test JVM migrated once. A
   * migration costs the server about a second, a copy a tenth of that, and most tests want a store
   * rather than its migration; those that test the migration migrate a {@link #freshUrl()}.
   */
  public static synchronized String migratedUrl() {
    if (migratedTemplate == null) {
      String template = freshUrl();
      Store.open(template, null, null).migrate();
      migratedTemplate = databaseOf(template);
    }
    return freshUrl("TEMPLATE " + migratedTemplate);
  }

  /**
   * The JDBC URL of a new migrated database ({@link #migratedUrl()}) that {@code sql} has filled:
   * a command-line test's store of records written as rows.
   */
  public static String migratedUrlFilledBy(String sql) {
    String url = migratedUrl();
    Store.open(url, null, null).withConnection(c -> c.createStatement().execute(sql));
    return url;
  }

  /** A migrated store on a new database of its own (see {@link #migratedUrl()}). */
  public static Store freshStore() {
    return Store.open(migratedUrl(), null, null);
  }

  /**
   * Makes every insert into {@code system_logs} of {@code store} fail as on a full disk: PostgreSQL's
   * SQLSTATE (53100), message and hint for it, as a store on a 200 MB tmpfs filled with dd answered
   * heartbeats by hand.
   */
  public static void raiseDiskFullOnInsert(Store store) {
    store.withConnection(c -> c.createStatement().execute("""
        CREATE FUNCTION disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'could not extend file "base/5/16528": No space left on device'
            USING ERRCODE = 'disk_full', HINT = 'Check free disk space.';
        END $$;
        CREATE TRIGGER disk_full BEFORE INSERT ON system_logs FOR EACH ROW EXECUTE FUNCTION disk_full();
        """));
  }

  /**
   * Drops the logins a test made, with what they were granted in the database of {@code url}:
   * roles belong to the server, which may outlive the tests ({@value #URL_VARIABLE}). Logins that
   * were never made are skipped.
   */
  public static void dropLogins(String url, Collection<String> logins) throws SQLException {
    try (Connection owner = DriverManager.getConnection(url); Statement statement = owner.createStatement()) {
      for (String login : logins) {
        try (ResultSet exists = statement.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + login + "'")) {
          if (!exists.next()) {
            continue;
          }
        }
        statement.execute("DROP OWNED BY " + login);
        statement.execute("DROP ROLE " + login);
      }
    }
  }

  /** Runs {@code sql} (one statement or several) on its own connection to {@code url}. */
  public static void execute(String url, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /** The server process behind {@code connection}. */
  public static int backendPid(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Whether the server says the backend {@code pid} is waiting for a lock another holds. */
  public static boolean waitsOnALock(Connection observer, int pid) throws SQLException {
    try (PreparedStatement statement = observer.prepareStatement(
        "SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = ?")) {
      statement.setInt(1, pid);
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  /** The first column of the one row {@code sql} answers, as text; {@code null} for no row. */
  public static String single(String url, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      return rows.next() ? rows.getString(1) : null;
    }
  }

  /** The first column of every row {@code sql} answers, as text, in the order it answers them. */
  public static List<String> rows(String url, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      while (rows.next()) {
        values.add(rows.getString(1));
      }
      return values;
    }
  }

  /**
   * Calls the ingest function on {@code connection} with a worker id and its records only, as the
   * Python sidecar does, and returns its answer as text; a refusal is the {@code SQLException}.
   */
  public static String heartbeat(Connection connection, String workerId, String logsJson) throws SQLException {
    return heartbeat(connection, workerId, logsJson, null);
  }

  /** {@link #heartbeat} with the agent's metadata ({@code metadata_param}; none when {@code null}). */
  public static String heartbeat(Connection connection, String workerId, String logsJson, String metadataJson)
      throws SQLException {
    try (PreparedStatement call = connection.prepareStatement("SELECT func_worker_heartbeat_with_logs("
        + "worker_id_param => ?, logs_param => ?::jsonb, metadata_param => ?::jsonb)::text")) {
      call.setString(1, workerId);
      call.setString(2, logsJson);
      call.setString(3, metadataJson);
      try (ResultSet answer = call.executeQuery()) {
        answer.next();
        return answer.getString(1);
      }
    }
  }

  /**
   * {@link #heartbeat} as PostgREST makes a call: in one transaction, first the role a token names
   * ({@code SET LOCAL ROLE}; none when {@code null}), then its claims as the transaction's setting
   * {@code claimsSetting} ({@code request.jwt.claims}; none when {@code null}). Rolled back when it fails.
   */
  public static String heartbeatAsPostgrest(Connection connection, String role, String claimsSetting, String claims,
      String workerId, String logsJson) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      if (role != null) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("SET LOCAL ROLE " + role);
        }
      }
      if (claimsSetting != null) {
        try (PreparedStatement set = connection.prepareStatement("SELECT set_config(?, ?, true)")) {
          set.setString(1, claimsSetting);
          set.setString(2, claims);
          set.execute();
        }
      }
      String answer = heartbeat(connection, workerId, logsJson);
      connection.commit();
      return answer;
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  private static String serverUrl() {
    if (serverUrl == null) {
      String configured = System.getenv(URL_VARIABLE);
      serverUrl = configured != null && !configured.isBlank() ? configured : startEmbedded();
    }
    return serverUrl;
  }

  private static String startEmbedded() {
    try {
      EmbeddedPostgres server = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(server), "test-postgres-stop"));
      return "jdbc:postgresql://localhost:" + server.getPort() + "/postgres?user=postgres";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL for tests", e);
    }
  }

  private static void closeQuietly(EmbeddedPostgres server) {
    try {
      server.close();
    } catch (IOException e) {
      // The JVM is exiting; the temporary data folder goes with it.
    }
  }

  /**
   * The plan of the store's query {@code name} ({@code EXPLAIN (OPTIONS) ...}, or plain {@code
   * EXPLAIN} for empty options), each of its parameters bound from {@code values}; a parameter
   * missing from them is this test's mistake, and said so.
   */
  static String explain(Connection connection, String options, String name, java.util.Map<String, Object> values)
      throws SQLException {
    NamedSql sql = NamedSql.load(name);
    String explain = options.isEmpty() ? "EXPLAIN " : "EXPLAIN (" + options + ") ";
    try (PreparedStatement statement = connection.prepareStatement(explain + sql.jdbcSql())) {
      List<String> order = sql.parameterOrder();
      for (int i = 0; i < order.size(); i++) {
        if (!values.containsKey(order.get(i))) {
          throw new IllegalStateException("a parameter this test does not know: " + order.get(i));
        }
        statement.setObject(i + 1, values.get(order.get(i)));
      }
      StringBuilder plan = new StringBuilder();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          plan.append(rows.getString(1)).append('\n');
        }
      }
      return plan.toString();
    }
  }
}
