package dev.heartlog.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The live tail's connection, lost while the database takes no connections (restarted, restored,
 * failed over): said once, then again only for a new reason, and the reconnection said with how
 * long it took, however many times the tail tried meanwhile.
 */
class LiveTailConnectionLossTest {

  @Test
  @Timeout(120)
  void aLostConnectionIsSaidOnceForEachReasonAndItsReturnWithItsLength() throws Exception {
    String url = TestDatabase.migratedUrl();
    String database = url.replaceFirst("^jdbc:postgresql://[^/]+/([^?]+).*$", "$1");
    String maintenance = url.replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]+", "$1postgres");
    Store store = Store.open(url, null, null);
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    PrintStream diagnostics = new PrintStream(said, true, StandardCharsets.UTF_8);
    try (StoreGuard guard = new StoreGuard(store, StoreGuard.DEFAULT_LIMIT, diagnostics);
        LiveTail tail = new LiveTail(store, guard, url, null, null, 1_000, diagnostics)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> tailConnections(maintenance, database) == 1);

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

  private static long tailConnections(String maintenance, String database) throws Exception {
    return Long.parseLong(TestDatabase.single(maintenance, "SELECT count(*) FROM pg_stat_activity "
        + "WHERE application_name = 'heartlog-live-tail' AND datname = '" + database + "'"));
  }
}
