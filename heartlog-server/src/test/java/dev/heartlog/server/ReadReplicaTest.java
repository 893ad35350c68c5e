package dev.heartlog.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.heartlog.agent.AgentStats;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.Level;
import dev.heartlog.agent.PostgrestTransport;
import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import dev.heartlog.store.TestStandby;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * heartlog serve on a hot standby, as a viewer is pointed at a read replica to keep its reads off
 * the primary: the workers' heartbeats go to the primary, and the standby replays them.
 */
@Timeout(90)
class ReadReplicaTest {

  private static final String READER = "hlr_read_replica_reader_key_0123";
  private static final String WRITER = "hlw_read_replica_writer_key_0123";

  private static TestStandby replica;

  @TempDir Path folder;
  private final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
  private HeartlogServer server;
  private CompletableFuture<HttpResponse<Stream<String>>> stream;

  @BeforeAll
  static void startReplica() throws Exception {
    replica = TestStandby.start();
  }

  @AfterAll
  static void stopReplica() {
    replica.close();
  }

  private HeartlogServer serveTheStandby(Duration maintenanceInterval) throws Exception {
    return HeartlogServer.builder().store(Store.open(replica.standbyUrl(), null, null)).keysFile(folder.resolve("keys"))
        .readerKeys(READER).writerKeys(WRITER).listenTo(replica.standbyUrl(), null, null)
        .maintenanceInterval(maintenanceInterval).diagnostics(new PrintStream(diagnostics, true, StandardCharsets.UTF_8))
        .port(0).build().start();
  }

  @AfterEach
  void stop() {
    if (stream != null) {
      stream.cancel(true);
    }
    server.close();
  }

  private String said() {
    return diagnostics.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theLiveTailFollowsWhatTheStandbyReplaysAndMaintenanceIsLeftToThePrimary() throws Exception {
    server = serveTheStandby(Duration.ofMillis(200));
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    stream = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().sendAsync(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/tail?worker=replicated"))
            .header("apikey", READER).header("Accept", "text/event-stream").build(),
        HttpResponse.BodyHandlers.ofLines());
    stream.thenAccept(response -> response.body().filter(line -> line.startsWith("data:")).forEach(events::add));

    // Heartbeats on the primary until the follower gets one: its subscription is then in place.
    String received = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    for (int n = 0; received == null && System.nanoTime() < deadline; n++) {
      try (Connection primary = DriverManager.getConnection(replica.primaryUrl())) {
        TestDatabase.heartbeat(primary, "replicated", "[{\"level\": \"INFO\", \"message\": \"replayed line " + n + "\"}]");
      }
      received = events.poll(1, TimeUnit.SECONDS);
    }

    assertThat(received).as("a record stored on the primary, followed on the standby").contains("replayed line");
    assertThat(said()).containsOnlyOnce("the database is a standby (read replica), which takes no LISTEN")
        .doesNotContain("live tail lost its database connection");
    await().atMost(Duration.ofSeconds(10)).until(() -> said().contains("maintenance and retention are left to the primary"));
    assertThat(said()).containsOnlyOnce("maintenance and retention are left").doesNotContain("maintenance failed");
  }

  @Test
  void aHeartbeatSentToTheStandbyIsRefusedAsReadOnlyAndTheAgentKeepsItsRecords() throws Exception {
    server = serveTheStandby(HeartlogServer.DEFAULT_MAINTENANCE_INTERVAL);
    String base = "http://127.0.0.1:" + server.port();

    HttpResponse<String> refused = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(base + "/rest/v1/rpc/func_worker_heartbeat_with_logs"))
            .header("apikey", WRITER).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"worker_id_param\": \"gpu-1\", \"vram_total_mb_param\": null, "
                + "\"vram_used_mb_param\": null, \"logs_param\": [{\"level\": \"INFO\", \"message\": \"hello\"}]}"))
            .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).as("as PostgREST answers it").isEqualTo(405);
    assertThat(refused.body()).contains("\"code\":\"25006\"", "a standby (read replica)");

    ByteArrayOutputStream agentSaid = new ByteArrayOutputStream();
    try (HeartlogAgent agent = HeartlogAgent.builder().workerId("gpu-1").noSpool().shutdownHook(false)
        .transport(PostgrestTransport.builder().baseUrl(base).key(WRITER).build())
        .diagnostics(new PrintStream(agentSaid, true, StandardCharsets.UTF_8)).build()) {
      agent.log(Level.INFO, "sent to the replica by mistake");
      assertThat(agent.flush(Duration.ofSeconds(3))).as("nothing can be stored there").isFalse();
      AgentStats stats = agent.stats();
      assertThat(stats.totalDropped()).as("kept, not dropped").isZero();
      assertThat(stats.lastError()).contains("HTTP 405", "25006", "the URL names a standby, such as a read replica");
    }
  }
}
