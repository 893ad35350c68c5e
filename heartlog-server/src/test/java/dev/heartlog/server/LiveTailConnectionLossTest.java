package dev.heartlog.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The live tail's connection, lost while the database takes no connections (restarted, restored,
 * failed over): said once, then again only for a new reason, and the reconnection said with how
 * long it took, however many times the tail tried meanwhile. A read that fails while the
 * connection stands is said as that, not as the connection's loss, and the connection is kept.
 */
class LiveTailConnectionLossTest {

  private final String url = TestDatabase.migratedUrl();
  private final String database = url.replaceFirst("^jdbc:postgresql://[^/]+/([^?]+).*$", "$1");
  /** The server's own database, from which this test's database is changed. */
  private final String maintenance = url.replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]+", "$1postgres");
  private final Store store = Store.open(url, null, null);
  /** What the tail says. */
  private final ByteArrayOutputStream said = new ByteArrayOutputStream();
  private final PrintStream diagnostics = new PrintStream(said, true, StandardCharsets.UTF_8);

  @Test
  @Timeout(120)
  void aLostConnectionIsSaidOnceForEachReasonAndItsReturnWithItsLength() throws Exception {
    try (StoreGuard guard = new StoreGuard(store, StoreGuard.DEFAULT_LIMIT, diagnostics);
        LiveTail tail = new LiveTail(store, guard, url, null, null, 1_000, diagnostics)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> tailConnections() == 1);

      TestDatabase.execute(maintenance, "ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
      TestDatabase.execute(maintenance, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
          + "WHERE application_name = 'heartlog-live-tail' AND datname = '" + database + "'");
      Thread.sleep(8_000);   // four tries to connect again: after 0.5, 1, 2 and 4 s
      TestDatabase.execute(maintenance, "ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");

      await().atMost(Duration.ofSeconds(30)).until(() -> said.toString(StandardCharsets.UTF_8).contains("again"));
      assertThat(said.toString(StandardCharsets.UTF_8).lines()).satisfiesExactly(
          lost -> assertThat(lost).isEqualTo("heartlog serve: live tail lost its database connection "
              + "(FATAL: terminating connection due to administrator command); retrying"),
          refused -> assertThat(refused).isEqualTo("heartlog serve: live tail still without its database connection "
              + "(FATAL: database \"" + database + "\" is not currently accepting connections); retrying"),
          back -> assertThat(back).matches("heartlog serve: live tail connected to the database again after \\d+ s"));
    }
  }

  @Test
  @Timeout(120)
  void aReadThatFailsWhileTheConnectionStandsIsSaidAsSuchAndTheConnectionIsKept() throws Exception {
    BlockingQueue<StoredRecord> received = new LinkedBlockingQueue<>();
    try (StoreGuard guard = new StoreGuard(store, StoreGuard.DEFAULT_LIMIT, diagnostics);
        LiveTail tail = new LiveTail(store, guard, url, null, null, 1_000, diagnostics)) {
      tail.subscribe(new TailRequest(null, null, 0, null, null, null), new LiveTail.Sink() {
        @Override
        public void send(StoredRecord record) {
          received.add(record);
        }

        @Override
        public void close(String reason) {}
      });
      await().atMost(Duration.ofSeconds(30)).until(() -> tailConnections() == 1);
      String listening = tailBackend();

      // Its reads fail for as long as the table is away (an orchestrator's schema change, a
      // restore in progress); the connection it listens on is not touched.
      TestDatabase.execute(url, "ALTER TABLE system_logs RENAME TO system_logs_away");
      await().atMost(Duration.ofSeconds(30)).until(() -> said.toString(StandardCharsets.UTF_8).contains("cannot read"));
      Thread.sleep(3_000);   // three more polls, each failing
      TestDatabase.execute(url, "ALTER TABLE system_logs_away RENAME TO system_logs");
      TestDatabase.execute(url, "SELECT func_worker_heartbeat_with_logs('gpu-1', NULL, NULL, "
          + "'[{\"level\": \"INFO\", \"message\": \"after the reads came back\"}]'::jsonb, NULL)");

      StoredRecord record = received.poll(30, TimeUnit.SECONDS);
      assertThat(record).isNotNull().extracting(StoredRecord::message).isEqualTo("after the reads came back");
      await().atMost(Duration.ofSeconds(10)).until(() -> said.toString(StandardCharsets.UTF_8).contains("again"));
      assertThat(said.toString(StandardCharsets.UTF_8)).doesNotContain("connection");
      assertThat(said.toString(StandardCharsets.UTF_8).lines().filter(line -> line.startsWith("heartlog serve:")))
          .satisfiesExactly(
              failed -> assertThat(failed).isEqualTo(
                  "heartlog serve: live tail cannot read new records (ERROR: relation \"system_logs\" does not exist); retrying"),
              back -> assertThat(back).matches("heartlog serve: live tail reads new records again after \\d+ s"));
      assertThat(tailBackend()).as("the connection listened on").isEqualTo(listening);
    }
  }

  /** The process of the live tail's connection on the server. */
  private String tailBackend() throws Exception {
    return TestDatabase.single(maintenance, "SELECT pid FROM pg_stat_activity "
        + "WHERE application_name = 'heartlog-live-tail' AND datname = '" + database + "'");
  }

  private long tailConnections() throws Exception {
    return Long.parseLong(TestDatabase.single(maintenance, "SELECT count(*) FROM pg_stat_activity "
        + "WHERE application_name = 'heartlog-live-tail' AND datname = '" + database + "'"));
  }
}
