package dev.heartlog.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.heartlog.agent.DeliveryResult;
import dev.heartlog.agent.Heartbeat;
import dev.heartlog.agent.Level;
import dev.heartlog.agent.LogRecord;
import dev.heartlog.agent.WorkerStatus;
import dev.heartlog.store.Store;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server whose connections are all taken, as a fleet of JDBC workers takes them, one each
 * between heartbeats: the heartbeat fails, saying what a fleet connects through instead, and
 * goes through once a connection is free.
 */
@Timeout(60)
class ServerOutOfConnectionsTest {

  @Test
  void aServerOutOfConnectionsIsSaidToBeSoWithWhatAFleetConnectsThrough() throws Exception {
    try (EmbeddedPostgres server = EmbeddedPostgres.builder().setServerConfig("max_connections", "6").start()) {
      String url = "jdbc:postgresql://localhost:" + server.getPort() + "/postgres?user=postgres";
      Store.open(url, null, null).migrate();
      List<Connection> fleet = new ArrayList<>();
      try (JdbcTransport transport = JdbcTransport.builder().url(url).build()) {
        takeEveryConnection(url, fleet);

        DeliveryResult refused = transport.deliver(heartbeat("frame 1"));

        assertThat(refused.outcome()).isEqualTo(DeliveryResult.Outcome.FAILED);
        assertThat(refused.detail()).startsWith("FATAL: sorry, too many clients already").contains(
            "A JDBC worker keeps a server connection from one heartbeat to the next: a fleet larger than the server's "
                + "connections connects through a pooler in transaction mode (Supabase's port 6543), or over HTTP.",
            "[SQLSTATE 53300]");

        fleet.remove(0).close();
        // The server frees the slot when that connection's backend has exited, a moment after
        // close() returns; a worker's next heartbeat comes 20 s later.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
            assertThat(transport.deliver(heartbeat("frame 1")))
                .extracting(DeliveryResult::outcome, DeliveryResult::logsInserted)
                .containsExactly(DeliveryResult.Outcome.STORED, 1));
      } finally {
        for (Connection connection : fleet) {
          connection.close();
        }
      }
    }
  }

  private static void takeEveryConnection(String url, List<Connection> fleet) {
    try {
      while (fleet.size() < 100) {
        fleet.add(DriverManager.getConnection(url));
      }
    } catch (SQLException full) {
      assertThat(full.getSQLState()).isEqualTo("53300");
    }
  }

  private static Heartbeat heartbeat(String message) {
    return new Heartbeat("fleet-worker", "session-1", 1L, WorkerStatus.ACTIVE, null, null, null,
        List.of(new LogRecord(Instant.now(), 1, Level.INFO, message, null, Map.of())), Map.of());
  }
}
