package dev.heartlog.jdbc.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.GpuProbe;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.Level;
import dev.heartlog.jdbc.JdbcTransport;
import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 3: the connection drops after the store committed a batch but before its answer
 * reached the worker (a proxy cuts every third answer). The worker retries the same batch; the
 * store recognises it and stores nothing twice.
 */
class LostAnswerScenarioTest {

  private static final int RECORDS = 3_000;
  /** The answers the proxy must have cut for the scenario to have been played. */
  private static final int MIN_CUTS = 5;

  @TempDir Path spool;

  @Test
  @Timeout(120)
  void aRetryAfterALostAnswerStoresNothingTwice() throws Exception {
    String direct = TestDatabase.migratedUrl();
    try (FaultProxy proxy = new FaultProxy(direct)) {
      proxy.cutEveryNthAnswer(3);
      HeartlogAgent agent =
          HeartlogAgent.builder()
              .workerId("lost-answer-worker")
              .transport(JdbcTransport.builder().url(proxy.jdbcUrl()).build())
              .gpuProbe(GpuProbe.none())
              .heartbeatInterval(Duration.ofMillis(100))
              .maxRetryDelay(Duration.ofMillis(200))
              .bufferSize(50)
              .spoolDirectory(spool)
              .shutdownHook(false)
              .diagnostics(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
              .build();
      // At least RECORDS records, and on until the proxy has cut MIN_CUTS answers: how many
      // heartbeats carry RECORDS records depends on the server's speed, and a server that syncs
      // each commit to disk took so few that the proxy cut 4 (4 runs of 9 on Debian's PostgreSQL).
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      int produced = 0;
      while (produced < RECORDS || (proxy.cuts() < MIN_CUTS && System.nanoTime() < deadline)) {
        agent.log(Level.INFO, "record " + produced);
        produced++;
        if (produced % 50 == 0) {
          StoreOutageScenarioTest.sleepQuietly(5);
        }
      }
      assertThat(agent.flush(Duration.ofSeconds(60))).isTrue();
      agent.close();

      Ledger ledger = Ledger.count("3-lost-answer", direct, "lost-answer-worker", produced).assertBalanced();
      long repeatsRecognised = count(direct,
          "SELECT count(*) FROM worker_heartbeats WHERE worker_id = 'lost-answer-worker' AND records > 0 AND logs_inserted = 0");
      writeCuts(ledger, proxy.cuts(), repeatsRecognised);
      assertThat(proxy.cuts()).as("answers cut after commit").isGreaterThanOrEqualTo(MIN_CUTS);
      assertThat(repeatsRecognised).as("batches the store recognised as repeats").isPositive();
    }
  }

  private static void writeCuts(Ledger ledger, int cuts, long repeats) throws Exception {
    java.nio.file.Files.writeString(Path.of("target", "reliability", ledger.scenario() + ".txt"),
        String.format("answers_cut_after_commit=%d repeated_batches_recognised=%d%n", cuts, repeats),
        java.nio.file.StandardOpenOption.APPEND);
  }

  private static long count(String url, String sql) {
    return Store.open(url, null, null).withConnection(c -> {
      try (ResultSet rs = c.createStatement().executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }
}
