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

  @Test
  void aBatchTheProxyRefusesAsTooLargeIsStoredInPartsOnce() throws Exception {
    String url = TestDatabase.freshUrl();
    Store store = Store.open(url, null, null);
    store.migrate();
    try (HeartlogServer server = HeartlogServer.builder().store(store).listenTo(url, null, null)
            .keysFile(folder.resolve("keys")).writerKeys(WRITER).port(0).build().start();
        PathPrefixProxy proxy = new PathPrefixProxy("/", "http://127.0.0.1:" + server.port())) {
      proxy.maxBody = LIMIT;
      HeartlogAgent agent = HeartlogAgent.builder().workerId("oversize-worker")
          .transport(PostgrestTransport.builder().baseUrl(proxy.base()).key(WRITER).gzip(PostgrestTransport.Gzip.OFF).build())
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

      assertThat(proxy.refused).as("bodies the proxy refused").isNotEmpty().allMatch(size -> size > LIMIT);
      assertThat(TestDatabase.single(url, "SELECT count(*) || ' ' || count(DISTINCT seq) FROM system_logs "
          + "WHERE source_id = 'oversize-worker' AND message LIKE 'frame %'")).isEqualTo("300 300");
      assertThat(TestDatabase.single(url, "SELECT level || ': ' || left(message, 102) FROM system_logs "
          + "WHERE source_id = 'oversize-worker' AND metadata ? 'heartlog_refused_bytes'"))
          .isEqualTo("ERROR: heartlog: the server refused this record as too large (HTTP 413) even alone; "
              + "it began: a record larger");
    }
  }
}
