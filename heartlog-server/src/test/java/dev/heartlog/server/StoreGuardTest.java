package dev.heartlog.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.heartlog.store.Store;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests that need the store while it is down or cannot keep up: answered at once rather than
 * each holding a web server thread for the pool's wait. A PostgreSQL of the test's own, stopped
 * and started again on its port as a restarted database is.
 */
@Timeout(120)
class StoreGuardTest {

  private static final String WRITER = "hlw_store_guard_writer_key_01234";
  private static final String READER = "hlr_store_guard_reader_key_01234";
  private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir Path folder;
  private final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
  private EmbeddedPostgres postgres;
  private HikariDataSource pool;
  private HeartlogServer server;

  @AfterEach
  void close() throws IOException {
    if (server != null) {
      server.close();
    }
    if (pool != null) {
      pool.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void whileTheDatabaseIsDownRequestsAreAnswered503AtOnceUntilItAnswersAgain() throws Exception {
    int port = freePort();
    postgres = start(port);
    serve(port, 2, Duration.ofMillis(1_500), StoreGuard.DEFAULT_LIMIT);
    assertThat(heartbeat("gpu-1").statusCode()).isEqualTo(200);

    stopDatabase(port);
    HttpResponse<String> tried = heartbeat("gpu-1");
    HttpResponse<String> answeredAtOnce = heartbeat("gpu-1");

    assertThat(tried.statusCode()).isEqualTo(503);
    assertThat(tried.body()).as("tried, and failed with the driver's reason (the connection cut, or refused)")
        .contains("\"code\":\"PGRST001\"").containsPattern("terminating connection|refused")
        .doesNotContain("has not answered for");
    String reason = details(tried);
    assertThat(answeredAtOnce.statusCode()).isEqualTo(503);
    assertThat(answeredAtOnce.body()).as("not tried: the outage's reason, and why")
        .contains("\"code\":\"PGRST001\"", "\"details\":\"" + reason + "\"", "\"hint\":\"The database has not answered for ");
    assertThat(answeredAtOnce.headers().firstValue("Retry-After")).hasValue("5");
    assertThat(said()).containsOnlyOnce("heartlog serve: the database does not answer (" + reason + ")");
    HttpResponse<String> metrics = metrics();
    assertThat(metrics.statusCode()).as("answered while the database is down").isEqualTo(200);
    assertThat(metrics.body()).contains("heartlog_database_reachable 0.0",
        "heartlog_heartbeats_total{outcome=\"store_unavailable\"} 2.0", "heartlog_heartbeats_total{outcome=\"stored\"} 1.0")
        .as("the fleet left out, not read as empty").doesNotContain("heartlog_workers{", "heartlog_fleet_", "heartlog_workers_flagged");

    postgres = start(port);
    await().atMost(Duration.ofSeconds(30)).until(() -> said().contains("the database answers again"));

    assertThat(said()).containsPattern("the database answers again after \\d+ s; 1 request was answered 503 at once meanwhile");
    HttpResponse<String> after = heartbeat("gpu-1");
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(after.body()).contains("\"logs_inserted\": 1");
    assertThat(metrics().body()).contains("heartlog_database_reachable 1.0", "heartlog_workers{health=\"active\"} 1.0");
  }

  private HttpResponse<String> metrics() throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + ServerMetrics.PATH))
        .header("apikey", READER).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void moreRequestsThanTheLimitWaitingForTheDatabaseAreAnswered503AtOnce() throws Exception {
    int port = freePort();
    postgres = start(port);
    serve(port, 1, Duration.ofSeconds(60), 2);
    CompletableFuture<HttpResponse<String>> first;
    CompletableFuture<HttpResponse<String>> second;
    HttpResponse<String> third;
    try (Connection held = pool.getConnection()) {   // the pool's one connection, busy
      first = heartbeatAsync("gpu-1");
      second = heartbeatAsync("gpu-2");
      await().atMost(Duration.ofSeconds(20)).until(() -> pool.getHikariPoolMXBean().getThreadsAwaitingConnection() == 2);

      third = heartbeat("gpu-3");

      assertThat(first).as("still waiting for the connection").isNotDone();
    }
    assertThat(third.statusCode()).isEqualTo(503);
    assertThat(third.body()).contains("\"code\":\"HL503\"", "Too many requests wait for the database",
        "2 requests already use or wait for it");
    assertThat(third.headers().firstValue("Retry-After")).hasValue("5");
    assertThat(first.get().statusCode()).as("sent on once the connection was free").isEqualTo(200);
    assertThat(second.get().statusCode()).isEqualTo(200);
    assertThat(said()).contains("heartlog serve: 2 requests already use or wait for the database; more are answered 503",
        "heartlog serve: the database keeps up again; 1 request was answered 503 at once meanwhile");
  }

  @Test
  void aPoolWithNoConnectionFreeInTimeIs504AndNoOutage() throws Exception {
    int port = freePort();
    postgres = start(port);
    serve(port, 1, Duration.ofMillis(500), StoreGuard.DEFAULT_LIMIT);
    HttpResponse<String> waited;
    try (Connection held = pool.getConnection()) {
      waited = heartbeat("gpu-1");
    }

    assertThat(waited.statusCode()).isEqualTo(504);
    assertThat(waited.body()).contains("\"code\":\"PGRST003\"", "Timed out acquiring connection from connection pool.");
    assertThat(heartbeat("gpu-1").statusCode()).as("the database answers: nothing to wait out").isEqualTo(200);
    assertThat(said()).doesNotContain("does not answer");
  }

  @Test
  void followersThatComeBackWhileTheDatabaseIsDownAreEndedAtOnceRatherThanOneAfterAnother() throws Exception {
    int port = freePort();
    postgres = start(port);
    serve(port, 2, Duration.ofMillis(1_500), StoreGuard.DEFAULT_LIMIT);
    assertThat(heartbeat("gpu-1").statusCode()).isEqualTo(200);

    stopDatabase(port);
    assertThat(heartbeat("gpu-1").statusCode()).as("the outage found").isEqualTo(503);
    List<CompletableFuture<HttpResponse<String>>> followers = new ArrayList<>();
    for (int follower = 1; follower <= 3; follower++) {   // browsers whose streams dropped, each following a worker
      followers.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
              + "/api/tail?after=1&worker=gpu-" + follower)).header("apikey", READER)
          .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofString()));
    }
    CompletableFuture<String> socketEnd = new CompletableFuture<>();
    http.newWebSocketBuilder().header("apikey", READER).buildAsync(URI.create("ws://127.0.0.1:" + server.port()
        + "/api/tail?after=1&worker=gpu-4"), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            socketEnd.complete(statusCode + " " + reason);
            return null;
          }
        });
    for (CompletableFuture<HttpResponse<String>> follower : followers) {
      assertThat(follower.get().body()).as("a comment, which an EventSource ignores before it comes back by itself")
          .isEqualTo(": " + TailRoutes.NOT_FOLLOWING + "\n");
    }
    assertThat(socketEnd.get()).isEqualTo("1013 " + TailRoutes.NOT_FOLLOWING);
    postgres = start(port);
    await().atMost(Duration.ofSeconds(30)).until(() -> said().contains("the database answers again"));

    // Before, each follower's reads waited for the pool, one follower after another (the start of
    // following is read under the tail's lock): 20 followers took 200 s of 10 s waits.
    java.util.regex.Matcher answered = java.util.regex.Pattern.compile("(\\d+) requests? (was|were) answered 503 at once")
        .matcher(said());
    assertThat(answered.find()).as(said()).isTrue();
    assertThat(Integer.parseInt(answered.group(1))).as("the followers' reads, answered at once").isGreaterThanOrEqualTo(4);
  }

  /** A server on a pool of {@code connections} that waits {@code wait} for one, as serve's does. */
  private void serve(int port, int connections, Duration wait, int limit) throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    Store.open(url, null, null).migrate();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(connections);
    config.setConnectionTimeout(wait.toMillis());
    config.setInitializationFailTimeout(-1);
    pool = new HikariDataSource(config);
    server = HeartlogServer.builder().store(Store.open(pool, url)).keysFile(folder.resolve("keys")).writerKeys(WRITER)
        .readerKeys(READER).listenTo(url, null, null).port(0).storeRequestLimit(limit).diagnostics(new PrintStream(diagnostics, true, StandardCharsets.UTF_8))
        .build().start();
  }

  private HttpRequest heartbeatRequest(String worker) {
    String body = "{\"worker_id_param\":\"" + worker + "\",\"logs_param\":[{\"timestamp\":\"2026-12-02T08:00:00Z\","
        + "\"level\":\"INFO\",\"message\":\"rendering\"}]}";
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + IngestRoutes.RPC_PATH))
        .header("apikey", WRITER).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private HttpResponse<String> heartbeat(String worker) throws Exception {
    return http.send(heartbeatRequest(worker), HttpResponse.BodyHandlers.ofString());
  }

  private CompletableFuture<HttpResponse<String>> heartbeatAsync(String worker) {
    return http.sendAsync(heartbeatRequest(worker), HttpResponse.BodyHandlers.ofString());
  }

  private static String details(HttpResponse<String> answer) {
    java.util.regex.Matcher details = java.util.regex.Pattern.compile("\"details\":\"([^\"]*)\"").matcher(answer.body());
    assertThat(details.find()).as("details in " + answer.body()).isTrue();
    return details.group(1);
  }

  private String said() {
    return diagnostics.toString(StandardCharsets.UTF_8);
  }

  /**
   * Stops the test's database and waits until its port refuses connections: the library's stop
   * gives up after 5 s with only a logged error, and a database still shutting down then answered
   * the next heartbeat (seen once, 200 where the test expected 503).
   */
  private void stopDatabase(int port) throws IOException {
    postgres.close();
    await().atMost(Duration.ofSeconds(60)).until(() -> !accepts(port));
  }

  private static boolean accepts(int port) {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress("localhost", port), 1_000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  private EmbeddedPostgres start(int port) throws IOException {
    return EmbeddedPostgres.builder().setDataDirectory(folder.resolve("data")).setCleanDataDirectory(false)
        .setPort(port).start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket free = new ServerSocket(0)) {
      return free.getLocalPort();
    }
  }
}
