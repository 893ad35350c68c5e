package dev.heartlog.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.heartlog.agent.DeliveryResult;
import dev.heartlog.agent.Heartbeat;
import dev.heartlog.agent.Level;
import dev.heartlog.agent.LogRecord;
import dev.heartlog.agent.WorkerStatus;
import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Workers whose database URL is a pooler in transaction mode, as Supabase's Supavisor on port
 * 6543 is: a real PgBouncer (Debian's {@code pgbouncer}; {@code .ci/run} installs it, and without
 * it this test is skipped) with fewer backends than clients, so that each transaction may run on
 * a backend another client prepared its statements on. Debian 12's PgBouncer (1.18) keeps no
 * track of prepared statements in transaction mode, as Supavisor's transaction mode does not.
 */
@Timeout(120)
class TransactionPoolerTest {

  private static final Path PGBOUNCER = Path.of("/usr/sbin/pgbouncer");

  private static Path folder;
  private static Process pgbouncer;
  private static String databaseUrl;
  private static String poolerUrl;

  @BeforeAll
  static void startPgBouncer() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(PGBOUNCER), "Debian's pgbouncer is needed (apt-get install pgbouncer)");
    databaseUrl = TestDatabase.freshUrl();
    Store.open(databaseUrl, null, null).migrate();
    URI database = URI.create(databaseUrl.substring("jdbc:".length()));
    Map<String, String> query = new LinkedHashMap<>();
    for (String pair : database.getQuery().split("&")) {
      String[] keyValue = pair.split("=", 2);
      query.put(keyValue[0], keyValue.length > 1 ? keyValue[1] : "");
    }
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    // Readable by the user PgBouncer switches to when started as root (it refuses to run as root).
    folder = Files.createTempDirectory("heartlog-pgbouncer", PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwxr-xr-x")));
    Path config = Files.writeString(folder.resolve("pgbouncer.ini"), String.join("\n",
        "[databases]",
        "* = host=" + database.getHost() + " port=" + database.getPort() + " user=" + query.get("user")
            + (query.containsKey("password") ? " password=" + query.get("password") : ""),
        "[pgbouncer]",
        "listen_addr = 127.0.0.1",
        "listen_port = " + port,
        "unix_socket_dir =",
        "auth_type = any",
        "pool_mode = transaction",
        "default_pool_size = 2",
        ""));
    List<String> command = new ArrayList<>(List.of(PGBOUNCER.toString(), "-q"));
    if ("root".equals(System.getProperty("user.name"))) {
      command.addAll(List.of("-u", "nobody"));
    }
    command.add(config.toString());
    pgbouncer = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(folder.resolve("pgbouncer.log").toFile()).start();
    poolerUrl = "jdbc:postgresql://127.0.0.1:" + port + database.getPath() + "?user=" + query.get("user")
        + (query.containsKey("password") ? "&password=" + query.get("password") : "");
    await().atMost(Duration.ofSeconds(20)).until(() -> !pgbouncer.isAlive() || accepts(poolerUrl));
    assertThat(pgbouncer.isAlive()).as("pgbouncer: %s", Files.readString(folder.resolve("pgbouncer.log"))).isTrue();
  }

  private static boolean accepts(String url) {
    try (var connection = DriverManager.getConnection(url)) {
      return connection.isValid(1);
    } catch (java.sql.SQLException notYet) {
      return false;
    }
  }

  @AfterAll
  static void stopPgBouncer() throws IOException {
    if (pgbouncer != null) {
      pgbouncer.destroy();
    }
    if (folder != null) {
      try (Stream<Path> files = Files.walk(folder)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  @Test
  void workersBehindAPoolerInTransactionModeStoreEveryHeartbeat() throws Exception {
    List<JdbcTransport> workers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      workers.add(JdbcTransport.builder().url(poolerUrl).build());
    }
    List<DeliveryResult> results = new ArrayList<>();
    try {
      // Taking turns, each on its own connection: past its fifth call the driver would prepare
      // the call by name, on whichever of the two backends the pooler gives it.
      for (long beat = 1; beat <= 10; beat++) {
        for (int i = 0; i < workers.size(); i++) {
          results.add(workers.get(i).deliver(heartbeat("pooled-" + i, beat)));
        }
      }
      assertThat(results).allSatisfy(result -> assertThat(result.outcome()).isEqualTo(DeliveryResult.Outcome.STORED));
      assertThat(workers).anySatisfy(worker -> assertThat(worker.usesUnnamedStatements()).isTrue());
    } finally {
      workers.forEach(JdbcTransport::close);
    }
    try (var connection = DriverManager.getConnection(databaseUrl);
        ResultSet stored = connection.createStatement().executeQuery(
            "SELECT count(*) FROM system_logs WHERE source_id LIKE 'pooled-%'")) {
      stored.next();
      assertThat(stored.getLong(1)).isEqualTo(40);
    }
  }

  @Test
  void aDirectConnectionKeepsItsNamedStatements() {
    try (JdbcTransport worker = JdbcTransport.builder().url(databaseUrl).build()) {
      for (long beat = 1; beat <= 10; beat++) {
        assertThat(worker.deliver(heartbeat("direct", beat)).outcome()).isEqualTo(DeliveryResult.Outcome.STORED);
      }
      assertThat(worker.usesUnnamedStatements()).isFalse();
    }
  }

  private static Heartbeat heartbeat(String workerId, long beat) {
    return new Heartbeat(workerId, "session-" + workerId, beat, WorkerStatus.ACTIVE, null, null, null,
        List.of(new LogRecord(Instant.now(), beat, Level.INFO, "beat " + beat, null, Map.of())), Map.of());
  }
}
