package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.GpuProbe;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.Level;
import dev.heartlog.agent.PostgrestTransport;
import dev.heartlog.server.HeartlogServer;
import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent over HTTP to heartlog serve behind a proxy that refuses bodies over a size (nginx's
 * client_max_body_size, 1 MiB by default), with records of a size that make batches larger:
 * every record is stored once, where each refused batch was dropped before.
 */
@Timeout(120)
class OversizeBodyTest {

  private static final String WRITER = "hlw_oversize_test_writer_key_000";
  private static final int LIMIT = 32 * 1024;

  @TempDir Path folder;
  private String url;
  private Store store;

  @BeforeEach
  void migrateAStore() {
    url = TestDatabase.migratedUrl();
    store = Store.open(url, null, null);
  }

  @Test
  void aBatchTheProxyRefusesAsTooLargeIsStoredInPartsOnce() throws Exception {
    try (HeartlogServer server = server();
        PathPrefixProxy proxy = new PathPrefixProxy("/", "http://127.0.0.1:" + server.port())) {
      proxy.maxBody = LIMIT;

      sendRecordsLargerThanTheLimitThrough(proxy.base());

      assertThat(proxy.refused).as("bodies the proxy refused").isNotEmpty().allMatch(size -> size > LIMIT);
    }
    assertEveryRecordStoredOnceAndTheOneTooLargeAloneReplaced();
  }

  /** The same through Debian's nginx, whose own 413 page the agent reads as it reads the proxy's above. */
  @Test
  void soItIsThroughNginx() throws Exception {
    Assumptions.assumeTrue(TestNginx.installed(), "needs Debian's nginx (apt-get install nginx-light; .ci/run installs it)");
    try (HeartlogServer server = server();
        TestNginx nginx = TestNginx.start(folder.resolve("nginx"), "/", "http://127.0.0.1:" + server.port() + "/",
            "client_max_body_size " + LIMIT)) {

      sendRecordsLargerThanTheLimitThrough(nginx.base());

      assertThat(nginx.accessLog()).as("bodies nginx refused").contains("\"POST /rest/v1/rpc/func_worker_heartbeat_with_logs HTTP/1.1\" 413");
    }
    assertEveryRecordStoredOnceAndTheOneTooLargeAloneReplaced();
  }

  private HeartlogServer server() throws Exception {
    return HeartlogServer.builder().store(store).listenTo(url, null, null)
        .keysFile(folder.resolve("keys")).writerKeys(WRITER).port(0).build().start();
  }

  private static void sendRecordsLargerThanTheLimitThrough(String base) {
    HeartlogAgent agent = HeartlogAgent.builder().workerId("oversize-worker")
        .transport(PostgrestTransport.builder().baseUrl(base).key(WRITER).gzip(PostgrestTransport.Gzip.OFF).build())
        .heartbeatInterval(Duration.ofHours(1)).noSpool().shutdownHook(false).gpuProbe(GpuProbe.none())
        .diagnostics(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
        .build();
    try (agent) {
      for (int i = 1; i <= 300; i++) {
        agent.log(Level.INFO, "frame " + i + " " + "x".repeat(1_000));
      }
      agent.log(Level.ERROR, "a record larger than the proxy takes alone " + "y".repeat(40_000));
      assertThat(agent.flush(Duration.ofSeconds(60))).isTrue();
      assertThat(agent.stats().totalDropped()).isZero();
    }
  }

  private void assertEveryRecordStoredOnceAndTheOneTooLargeAloneReplaced() throws Exception {
    assertThat(TestDatabase.single(url, "SELECT count(*) || ' ' || count(DISTINCT seq) FROM system_logs "
        + "WHERE source_id = 'oversize-worker' AND message LIKE 'frame %'")).isEqualTo("300 300");
    assertThat(TestDatabase.single(url, "SELECT level || ': ' || left(message, 102) FROM system_logs "
        + "WHERE source_id = 'oversize-worker' AND metadata ? 'heartlog_refused_bytes'"))
        .isEqualTo("ERROR: heartlog: the server refused this record as too large (HTTP 413) even alone; "
            + "it began: a record larger");
  }
}
