package dev.heartlog.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.DeliveryResult;
import dev.heartlog.agent.Heartbeat;
import dev.heartlog.agent.Level;
import dev.heartlog.agent.LogRecord;
import dev.heartlog.agent.WorkerStatus;
import dev.heartlog.store.TestStandby;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker given a read replica's address (Supabase, RDS and Cloud SQL give each replica one of
 * its own, beside the primary's): the heartbeat fails as read-only, saying so, and the batch is a
 * failure to retry, not a refusal of its records.
 */
@Timeout(60)
class ReadReplicaTransportTest {

  @Test
  void aHeartbeatToAStandbyFailsSayingTheAddressIsAReadReplicasAndIsNotRefused() throws Exception {
    try (TestStandby replica = TestStandby.start();
        JdbcTransport toStandby = JdbcTransport.builder().url(replica.standbyUrl()).build();
        JdbcTransport toPrimary = JdbcTransport.builder().url(replica.primaryUrl()).build()) {

      DeliveryResult refused = toStandby.deliver(heartbeat());

      assertThat(refused.outcome()).as("kept to send again, not dropped").isEqualTo(DeliveryResult.Outcome.FAILED);
      assertThat(refused.detail()).contains("in a read-only transaction", "[SQLSTATE 25006]",
          "the database is read-only: the URL names a standby, such as a read replica");
      assertThat(toPrimary.deliver(heartbeat()).logsInserted()).as("the same batch, at the primary").isEqualTo(1);
    }
  }

  private static Heartbeat heartbeat() {
    return new Heartbeat("gpu-1", "session-1", 1L, WorkerStatus.ACTIVE, null, null, null,
        List.of(new LogRecord(Instant.now(), 1, Level.INFO, "frame 1 rendered", null, Map.of())), Map.of());
  }
}
