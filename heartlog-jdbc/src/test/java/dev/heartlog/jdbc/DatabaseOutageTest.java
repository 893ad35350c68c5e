package dev.heartlog.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.heartlog.agent.GpuProbe;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.Level;
import dev.heartlog.store.Store;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database is stopped and started again while a worker logs from several threads: every
 * record arrives, once. This test always runs its own embedded server, since it must stop it.
 */
class DatabaseOutageTest {

  @TempDir Path dataDirectory;
  @TempDir Path spool;

  @Test
  @Timeout(120)
  void nothingIsLostWhenTheDatabaseStopsAndComesBack() throws Exception {
    int port = freePort();
    EmbeddedPostgres server = start(port);
    String url = "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
    Store.open(url, null, null).migrate();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();

    HeartlogAgent agent =
        HeartlogAgent.builder()
            .workerId("outage-worker")
            .transport(JdbcTransport.builder().url(url).connectTimeout(Duration.ofSeconds(1)).build())
            .gpuProbe(GpuProbe.none())
            .heartbeatInterval(Duration.ofMillis(200))
            .spoolDirectory(spool)
            .shutdownHook(false)
            .diagnostics(new PrintStream(diagnostics, true, StandardCharsets.UTF_8))
            .build();
    AtomicBoolean logging = new AtomicBoolean(true);
    AtomicInteger produced = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(4);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      Thread worker =
          new Thread(
              () -> {
                int i = 0;
                while (logging.get()) {
                  agent.log(Level.INFO, "thread " + thread + " record " + i++);
                  produced.incrementAndGet();
                  if (i % 10 == 0) {
                    sleepQuietly(5);
                  }
                }
                done.countDown();
              });
      threads.add(worker);
      worker.start();
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> agent.stats().totalSent() > 500);
    server.close();
    long sentWhenStopped = agent.stats().totalSent();
    // While the database is down, batches pile up in the spool, not in memory.
    await().atMost(Duration.ofSeconds(30)).until(() -> agent.stats().spooledBatches() > 10);
    assertThat(agent.stats().totalSent()).isEqualTo(sentWhenStopped);

    server = start(port);
    await().atMost(Duration.ofSeconds(30)).until(() -> agent.stats().totalSent() > sentWhenStopped + 500);
    logging.set(false);
    done.await();
    assertThat(agent.flush(Duration.ofSeconds(60))).isTrue();
    agent.close();

    long stored = count(url, "SELECT count(*) FROM system_logs WHERE source_id = 'outage-worker'");
    long distinct = count(url, "SELECT count(DISTINCT seq) FROM system_logs WHERE source_id = 'outage-worker'");
    server.close();

    assertThat(agent.stats().totalDropped()).isZero();
    assertThat(stored).isEqualTo(produced.get());
    assertThat(distinct).isEqualTo(stored);
    assertThat(diagnostics.toString(StandardCharsets.UTF_8)).contains("store reachable again");
  }

  private EmbeddedPostgres start(int port) throws IOException {
    return EmbeddedPostgres.builder()
        .setPort(port)
        .setDataDirectory(dataDirectory)
        .setCleanDataDirectory(false)
        .start();
  }

  private static long count(String url, String sql) {
    Store store = Store.open(url, null, null);
    return store.withConnection(
        c -> {
          try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
