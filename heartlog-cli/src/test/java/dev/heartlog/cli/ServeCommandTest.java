package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import dev.heartlog.store.TestJvm;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What {@code heartlog serve} says at start about a database {@code heartlog migrate} has not prepared. */
class ServeCommandTest {

  @Test
  @Timeout(120)
  void aServerOnADatabaseNeverMigratedSaysSoAtStart(@TempDir Path home) throws Exception {
    String url = TestDatabase.freshUrl();
    Path stdout = home.resolve("stdout");
    Path stderr = home.resolve("stderr");
    Process serve = startServe(url, home, stdout, stderr);
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(stderr).contains("\n"));
      // The probes it names answer, with no key: the server itself serves, whatever its database.
      Matcher probe = Pattern.compile("probes: GET  (http://\\S+/healthz) \\(serving\\), \\S+/readyz")
          .matcher(Files.readString(stdout));
      assertThat(probe.find()).as(Files.readString(stdout)).isTrue();
      assertThat(HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(probe.group(1))).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    } finally {
      serve.toHandle().destroy();   // SIGTERM
      assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    assertThat(Files.readString(stderr)).isEqualTo("heartlog serve: warning: " + Store.open(url, null, null).displayUrl()
        + " has no heartlog schema yet, so heartbeats and queries fail: run heartlog migrate --db-url with the same URL"
        + System.lineSeparator());
  }

  @Test
  @Timeout(120)
  void aPortInUseIsOneSentenceAndTheKeysMadeAreStillShown(@TempDir Path home) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();

      Cli.Result serve = Cli.run("serve", "--port", Integer.toString(port), "--home", home.toString());

      assertThat(serve.exitCode()).isEqualTo(1);
      assertThat(serve.err()).isEqualTo("heartlog: cannot listen on 127.0.0.1:" + port + " (Address already in use): "
          + "stop what listens there (another heartlog serve?), or give --port or --bind" + System.lineSeparator());
      // The first start made the keys, whose hashes are kept: a later start will not show them again.
      assertThat(serve.out()).startsWith("Created keys (shown once; only their hashes are kept):")
          .containsPattern("writer \\(any worker\\): hlw_\\S+").containsPattern("reader: +hlr_\\S+")
          .as("the embedded store's folder holds its keys too").doesNotContain("on this machine only");
      assertThat(home.resolve("keys")).exists();
    }
  }

  @Test
  void keysMadeForAStoreOfItsOwnAreSaidToBeThisMachinesOnlyWithHowToGiveEveryServerThem(@TempDir Path home)
      throws Exception {
    String url = TestDatabase.migratedUrl();
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Cli.Result serve = Cli.run("serve", "--port", Integer.toString(taken.getLocalPort()), "--db-url", url,
          "--home", home.toString());

      assertThat(serve.exitCode()).isEqualTo(1);
      Matcher keys = Pattern.compile("writer \\(any worker\\): (hlw_\\S+)\\R.*reader: +(hlr_\\S+)",
          Pattern.DOTALL).matcher(serve.out());
      assertThat(keys.find()).as(serve.out()).isTrue();
      assertThat(serve.out()).contains("Their hashes are kept in " + home.resolve("keys").toAbsolutePath()
          + ", on this machine only", "HEARTLOG_WRITER_KEYS=" + keys.group(1) + " HEARTLOG_READER_KEYS=" + keys.group(2));
    }
  }

  /** The banner named the API's paths but not the page a person opens, nor how to open it with the key just made. */
  @Test
  @Timeout(120)
  void theViewerItNamesOpensWithTheReaderKeyItMade(@TempDir Path home) throws Exception {
    String url = TestDatabase.migratedUrl();
    Path stdout = home.resolve("stdout");
    Process serve = startServe(url, home, stdout, home.resolve("stderr"));
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(stdout).contains("the viewer: "));
      String banner = Files.readString(stdout);
      Matcher viewer = Pattern.compile("viewer: GET  (http://\\S+/) ").matcher(banner);
      Matcher opened = Pattern.compile("the viewer: (http://\\S+/)\\?key=(hlr_\\S+)").matcher(banner);
      assertThat(viewer.find() && opened.find()).as(banner).isTrue();
      assertThat(opened.group(1)).isEqualTo(viewer.group(1));
      assertThat(banner).containsPattern("reader: +" + opened.group(2));

      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(opened.group(1) + "?key=" + opened.group(2))).build(),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> workers = http.send(HttpRequest.newBuilder(URI.create(viewer.group(1) + "api/workers"))
          .header("apikey", opened.group(2)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
      assertThat(workers.statusCode()).as(workers.body()).isEqualTo(200);
    } finally {
      serve.destroy();
      serve.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** A database far away takes longer a call, so a fleet needs more of its connections at once. */
  @Test
  @Timeout(120)
  void dbPoolSetsHowManyConnectionsTheServerHolds(@TempDir Path home) throws Exception {
    String url = TestDatabase.migratedUrl();
    Process serve = startServe(url, home, home.resolve("stdout"), home.resolve("stderr"), "--db-pool", "3");
    try {
      // HikariCP keeps as many open as it may hold: the pool's size, once it has filled it.
      await().atMost(Duration.ofSeconds(60)).until(() -> serveConnections(url) == 3);
      Thread.sleep(1_000);
      assertThat(serveConnections(url)).as("no more than that").isEqualTo(3);
    } finally {
      serve.destroy();
      serve.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aDbPoolOfNoConnectionsIsAUsageErrorBeforeTheStoreOpens() {
    Cli.Result serve = Cli.run("serve", "--db-pool", "0", "--db-url", "jdbc:postgresql://127.0.0.1:1/nowhere");

    assertThat(serve.exitCode()).isEqualTo(2);
    assertThat(serve.err()).startsWith("heartlog: --db-pool must be 1 to 1000 connections (got 0)" + System.lineSeparator());
  }

  private static long serveConnections(String url) throws SQLException {
    String database = url.replaceFirst("^jdbc:postgresql://[^/]+/([^?]+).*$", "$1");
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
        java.sql.ResultSet count = statement.executeQuery("SELECT count(*) FROM pg_stat_activity "
            + "WHERE application_name = 'heartlog-serve' AND datname = '" + database + "'")) {
      count.next();
      return count.getLong(1);
    }
  }

  @Test
  void aCorsOriginNoBrowserSendsIsAUsageErrorBeforeTheStoreOpens() {
    Cli.Result serve = Cli.run("serve", "--cors-origins", "https://ops.example.com,localhost:3000", "--db-url",
        "jdbc:postgresql://127.0.0.1:1/nowhere");

    assertThat(serve.exitCode()).isEqualTo(2);
    assertThat(serve.err()).startsWith("heartlog: CORS origin 'localhost:3000' is no origin; give it as the page's "
        + "location.origin shows it, with its scheme: http://localhost:3000" + System.lineSeparator());
  }

  @Test
  void anAddressNotOfThisMachineIsOneSentence() {
    String url = TestDatabase.freshUrl();

    Cli.Result serve = Cli.run("serve", "--bind", "192.0.2.1", "--port", "7070", "--db-url", url);   // TEST-NET-1

    assertThat(serve.exitCode()).isEqualTo(1);
    assertThat(serve.err()).isEqualTo("heartlog: cannot listen on 192.0.2.1:7070 (Cannot assign requested address): "
        + "give --bind an address of this machine (127.0.0.1; 0.0.0.0 for all of its addresses)" + System.lineSeparator());
  }

  @Test
  void addressesPrintedForEveryAddressNameThisMachine() throws Exception {
    String name = InetAddress.getLocalHost().getHostName();

    assertThat(ServeCommand.urlHost("0.0.0.0")).isEqualTo(name);
    assertThat(ServeCommand.urlHost("::")).isEqualTo(name);
    assertThat(ServeCommand.urlHost("::1")).isEqualTo("[::1]");
    assertThat(ServeCommand.urlHost("127.0.0.1")).isEqualTo("127.0.0.1");
    assertThat(ServeCommand.urlHost("localhost")).isEqualTo("localhost");
  }

  @Test
  void aMigratedStoreGivesNoWarning() throws SQLException {
    assertThat(warningAfter()).isEmpty();
  }

  @Test
  void aStoreAnOlderHeartlogMigratedIsToldToMigrate() throws SQLException {
    assertThat(warningAfter("DELETE FROM flyway_schema_history WHERE version = '16'")).contains(
        "URL was migrated by an older heartlog (V16 worker gpu problem not applied yet): run heartlog migrate --db-url with the same URL");
  }

  @Test
  void aChangedFunctionAloneIsNotCalledOlder() throws SQLException {
    assertThat(warningAfter("UPDATE flyway_schema_history SET checksum = 0 WHERE script = 'R__ingest.sql'")).contains(
        "URL holds other versions of heartlog's functions (R ingest) than this heartlog's: after an upgrade, "
            + "run heartlog migrate --db-url with the same URL");
  }

  @Test
  void aStoreANewerHeartlogMigratedIsNotToldToMigrateBack() throws SQLException {
    // As a newer heartlog leaves it: a version this one does not know, and its own ingest function.
    assertThat(warningAfter(
        "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
            + "installed_by, execution_time, success) VALUES (1000, '17', 'from a newer heartlog', 'SQL', "
            + "'V17__from_a_newer_heartlog.sql', 1, 'postgres', 1, true)",
        "UPDATE flyway_schema_history SET checksum = 0 WHERE script = 'R__ingest.sql'")).contains(
        "URL was migrated by a newer heartlog (schema version 17): this server may fail its calls; serve with that heartlog");
  }

  @Test
  void aRoleThatMayNotReadTheHistoryGetsNoWarning() throws SQLException {
    String url = TestDatabase.migratedUrl();
    execute(url, "DELETE FROM flyway_schema_history WHERE version = '13'");   // the owner would be told to migrate
    execute(url, "DROP ROLE IF EXISTS serve_test_outsider");
    execute(url, "CREATE ROLE serve_test_outsider LOGIN PASSWORD 'outsider'");
    try {
      Store outsider = Store.open(url, "serve_test_outsider", "outsider");
      assertThatThrownBy(() -> outsider.withConnection(c -> c.createStatement().executeQuery("SELECT 1 FROM flyway_schema_history")))
          .hasMessageContaining("permission denied");

      assertThat(ServeCommand.schemaWarning(outsider)).isEmpty();
    } finally {
      execute(url, "DROP OWNED BY serve_test_outsider");
      execute(url, "DROP ROLE serve_test_outsider");
    }
  }

  /** serve's warning for a fresh store heartlog migrated, after these changes; its address reads "URL". */
  private static Optional<String> warningAfter(String... historyChanges) throws SQLException {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    for (String change : historyChanges) {
      execute(url, change);
    }
    return ServeCommand.schemaWarning(store).map(warning -> warning.replace(store.displayUrl(), "URL"));
  }

  private static void execute(String url, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /**
   * Started beside its PostgreSQL (Compose's {@code depends_on}, a pod's containers), the server
   * comes up before the database takes connections. Before, it exited with code 1 ("cannot reach
   * the database"), and stayed down; now it says so once and waits for the database.
   */
  @Test
  @Timeout(120)
  void aServerStartedBeforeItsDatabaseWaitsForIt(@TempDir Path home) throws Exception {
    int databasePort = PortedPostgres.freePort();
    Path stdout = home.resolve("stdout");
    Path stderr = home.resolve("stderr");
    Process serve = startServe("jdbc:postgresql://localhost:" + databasePort + "/postgres?user=postgres", home, stdout, stderr);
    EmbeddedPostgres database = null;
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(stderr).contains("until it answers") || !serve.isAlive());
      assertThat(serve.isAlive()).isTrue();

      database = PortedPostgres.start(home.resolve("postgres"), databasePort);
      Store.open(database.getJdbcUrl("postgres", "postgres"), null, null).migrate();

      await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(stdout).contains("probes:"));
      Matcher readiness = Pattern.compile("(http://\\S+/readyz)").matcher(Files.readString(stdout));
      assertThat(readiness.find()).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() -> HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(readiness.group(1))).build(), HttpResponse.BodyHandlers.ofString())
          .statusCode() == 200);
      assertThat(Files.readString(stderr).lines()).satisfiesExactly(
          waiting -> assertThat(waiting).isEqualTo("heartlog serve: cannot reach the database at jdbc:postgresql://"
              + "localhost:" + databasePort + "/postgres?user=postgres: Connection to localhost:" + databasePort
              + " refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP "
              + "connections. (Connection refused) (check --db-url or HEARTLOG_DB_URL, and that PostgreSQL is running); "
              + "trying again every 2 s until it answers (Ctrl-C ends)"),
          answered -> assertThat(answered).matches("heartlog serve: the database answers, after \\d+ s"));
    } finally {
      serve.toHandle().destroy();
      assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
      if (database != null) {
        database.close();
      }
    }
  }

  /**
   * {@code heartlog serve --port 0} on {@code url}, in a JVM of its own (serve runs until a signal
   * ends the process), its output going to the files given.
   */
  private static Process startServe(String url, Path home, Path stdout, Path stderr, String... options)
      throws IOException {
    java.util.List<String> command =
        TestJvm.main(Main.class, "serve", "--port", "0", "--db-url", url, "--home", home.toString());
    command.addAll(java.util.List.of(options));
    return new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
  }
}
