package dev.heartlog.jdbc.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.heartlog.agent.GpuProbe;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.Level;
import dev.heartlog.jdbc.JdbcTransport;
import dev.heartlog.store.Store;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 1: four worker threads log 10,000 records while PostgreSQL is stopped for a while and
 * started again. This test always runs its own embedded server, since it must stop it.
 */
class StoreOutageScenarioTest {

  private static final int THREADS = 4;
  private static final int PER_THREAD = 2_500;

  @TempDir Path dataDirectory;
  @TempDir Path spool;

  @Test
  @Timeout(180)
  void everyRecordArrivesOnceAfterTheDatabaseStopsAndComesBack() throws Exception {
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
            .maxRetryDelay(Duration.ofMillis(500))
            .spoolDirectory(spool)
            .shutdownHook(false)
            .diagnostics(new PrintStream(diagnostics, true, StandardCharsets.UTF_8))
            .build();
    AtomicInteger produced = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      Thread worker = new Thread(() -> {
        for (int i = 0; i < PER_THREAD; i++) {
          agent.log(Level.INFO, "thread " + thread + " record " + i);
          produced.incrementAndGet();
          if (i % 5 == 4) {
            sleepQuietly(2);
          }
        }
      });
      threads.add(worker);
      worker.start();
    }

    await().atMost(Duration.ofSeconds(60)).until(() -> produced.get() >= 2_000 && agent.stats().totalSent() > 0);
    server.close();
    long sentWhenStopped = agent.stats().totalSent();
    // The outage lasts until the agent has seen it: under load, the database could stop and start
    // again between two of its heartbeats, and the agent had nothing to come back from.
    long retriesWhenStopped = agent.stats().retries();
    await().atMost(Duration.ofSeconds(60))
        .until(() -> produced.get() >= 6_000 && agent.stats().retries() > retriesWhenStopped);
    assertThat(agent.stats().totalSent()).as("nothing is acknowledged while the database is down")
        .isLessThanOrEqualTo(sentWhenStopped + 1_000);
    server = start(port);
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(agent.flush(Duration.ofSeconds(60))).isTrue();
    agent.close();

    Ledger ledger = Ledger.count("1-store-outage", url, "outage-worker", produced.get()).assertBalanced();
    server.close();
    assertThat(ledger.produced()).isEqualTo(THREADS * PER_THREAD);
    assertThat(ledger.reportedDrops()).isZero();
    assertThat(diagnostics.toString(StandardCharsets.UTF_8)).contains("store reachable again");
  }

  private EmbeddedPostgres start(int port) throws IOException {
    return EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDirectory).setCleanDataDirectory(false).start();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
