package dev.heartlog.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The probes a container platform or load balancer sends, against a real database that stops answering. */
@Timeout(60)
class HealthProbesTest {

  private static final HttpClient http = HttpClient.newHttpClient();

  @TempDir java.nio.file.Path folder;
  private final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();

  private HeartlogServer server(Store store) throws java.io.IOException {
    return HeartlogServer.builder().store(store).keysFile(folder.resolve("keys")).port(0)
        .diagnostics(new PrintStream(diagnostics, true, StandardCharsets.UTF_8)).build().start();
  }

  /** A probe's GET, with no key, as probes send. */
  private static HttpResponse<String> probe(HeartlogServer server, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The database's name in a test database's URL, and the URL of the server's own database. */
  private static String name(String url) {
    return url.replaceFirst("^jdbc:postgresql://[^/]+/([^?]+).*$", "$1");
  }

  private static String maintenanceUrl(String url) {
    return url.replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]+", "$1postgres");
  }

  @Test
  void readinessFollowsTheDatabaseAndLivenessDoesNot() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    try (HeartlogServer server = server(store)) {
      assertThat(probe(server, "/healthz")).satisfies(r -> {
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"ok\"}");
      });
      assertThat(probe(server, "/readyz")).satisfies(r -> {
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"ready\"}");
      });

      // The database stops taking connections, as one being restarted or failed over does.
      TestDatabase.execute(maintenanceUrl(url), "ALTER DATABASE " + name(url) + " ALLOW_CONNECTIONS false");
      HttpResponse<String> down = probe(server, "/readyz");
      HttpResponse<String> stillDown = probe(server, "/readyz");

      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.body()).as("nothing about the database for a caller without a key")
          .isEqualTo("{\"status\":\"unavailable\"}");
      assertThat(stillDown.statusCode()).isEqualTo(503);
      assertThat(probe(server, "/healthz").statusCode()).as("the server itself still answers").isEqualTo(200);
      String said = diagnostics.toString(StandardCharsets.UTF_8);
      assertThat(said).as("the reason, on the server's output, once for the two probes")
          .containsOnlyOnce("heartlog serve: not ready (/readyz answers 503): cannot reach the database")
          .contains("is not currently accepting connections");

      TestDatabase.execute(maintenanceUrl(url), "ALTER DATABASE " + name(url) + " ALLOW_CONNECTIONS true");
      assertThat(probe(server, "/readyz").statusCode()).isEqualTo(200);
      assertThat(diagnostics.toString(StandardCharsets.UTF_8)).contains("heartlog serve: ready again");
    }
  }

  /** A deployment whose migration job has not run yet: the server answers, but every heartbeat would fail. */
  @Test
  void aDatabaseWithoutHeartlogsSchemaIsNotReadyUntilMigrated() throws Exception {
    String url = TestDatabase.freshUrl();
    Store store = Store.open(url, null, null);
    try (HeartlogServer server = server(store)) {
      HttpResponse<String> unmigrated = probe(server, "/readyz");

      assertThat(unmigrated.statusCode()).isEqualTo(503);
      assertThat(diagnostics.toString(StandardCharsets.UTF_8)).contains("not ready (/readyz answers 503): the database at ")
          .contains("has no heartlog schema yet (no system_logs, or no func_worker_heartbeat_with_logs): run heartlog migrate");

      store.migrate();
      assertThat(probe(server, "/readyz").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aDatabaseThatDoesNotAnswerInTimeIsNotReady() throws Exception {
    String url = TestDatabase.migratedUrl();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(1);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      Store store = Store.open(pool, url);
      try (HeartlogServer server = server(store)) {
        // The pool's one connection is busy for 3 s: the check waits for it, past its timeout.
        CountDownLatch holding = new CountDownLatch(1);
        CompletableFuture<Void> busy = CompletableFuture.runAsync(() -> store.withConnection(connection -> {
          try (Statement statement = connection.createStatement()) {
            holding.countDown();
            return statement.execute("SELECT pg_sleep(3)");
          }
        }));
        holding.await();

        HttpResponse<String> slow = probe(server, "/readyz");

        assertThat(slow.statusCode()).isEqualTo(503);
        assertThat(diagnostics.toString(StandardCharsets.UTF_8))
            .contains("not ready (/readyz answers 503): the database did not answer within 1 s");
        busy.join();
        assertThat(probe(server, "/readyz").statusCode()).isEqualTo(200);
      }
    }
  }
}
