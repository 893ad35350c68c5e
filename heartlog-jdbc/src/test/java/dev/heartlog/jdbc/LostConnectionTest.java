package dev.heartlog.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.heartlog.agent.DeliveryResult;
import dev.heartlog.agent.Heartbeat;
import dev.heartlog.agent.Level;
import dev.heartlog.agent.LogRecord;
import dev.heartlog.agent.WorkerStatus;
import dev.heartlog.store.TestDatabase;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The connection the transport holds between heartbeats is closed by the server meanwhile: its
 * idle_session_timeout (or a pooler's, or a load balancer's), a restart. The next heartbeat goes
 * through on a new connection, where it failed once and waited for its retry on every beat.
 */
@Timeout(60)
class LostConnectionTest {

  private final String url = TestDatabase.migratedUrl();

  @Test
  void aHeartbeatAfterTheServersIdleSessionTimeoutGoesThroughOnANewConnection() throws SQLException {
    TestDatabase.execute(url, "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET idle_session_timeout = ''1s''', current_database()); END $$");
    try (JdbcTransport transport = JdbcTransport.builder().url(url).build()) {
      assertThat(transport.deliver(heartbeat(1, "before the timeout"))).isEqualTo(DeliveryResult.stored(1));
      await().atMost(Duration.ofSeconds(20)).until(() -> otherSessions() == 0);   // the server ended it

      assertThat(transport.deliver(heartbeat(2, "after the timeout"))).isEqualTo(DeliveryResult.stored(1));
    }
    assertThat(count("SELECT count(*) FROM system_logs WHERE source_id = 'held-connection'")).isEqualTo(2);
  }

  @Test
  void aHeartbeatAfterItsSessionWasTerminatedGoesThroughOnANewConnectionAndIsStoredOnce() throws SQLException {
    try (JdbcTransport transport = JdbcTransport.builder().url(url).build()) {
      assertThat(transport.deliver(heartbeat(1, "before the restart"))).isEqualTo(DeliveryResult.stored(1));
      TestDatabase.execute(url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
          + "WHERE datname = current_database() AND pid <> pg_backend_pid()");   // as a restart or failover does
      await().atMost(Duration.ofSeconds(20)).until(() -> otherSessions() == 0);

      assertThat(transport.deliver(heartbeat(2, "after the restart"))).isEqualTo(DeliveryResult.stored(1));
      assertThat(transport.deliver(heartbeat(2, "after the restart"))).as("the same batch again").isEqualTo(DeliveryResult.stored(0));
    }
    assertThat(count("SELECT count(*) FROM system_logs WHERE source_id = 'held-connection'")).isEqualTo(2);
  }

  private static Heartbeat heartbeat(long batch, String message) {
    return new Heartbeat("held-connection", "session-1", batch, WorkerStatus.ACTIVE, null, null, null,
        List.of(new LogRecord(Instant.now(), batch, Level.INFO, message, null, Map.of())), Map.of());
  }

  /** Sessions on this database other than the one asking. */
  private long otherSessions() throws SQLException {
    return count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
  }

  private long count(String sql) throws SQLException {
    return Long.parseLong(TestDatabase.single(url, sql));
  }
}
