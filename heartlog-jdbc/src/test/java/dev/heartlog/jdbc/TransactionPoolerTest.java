package dev.heartlog.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.DeliveryResult;
import dev.heartlog.agent.Heartbeat;
import dev.heartlog.agent.Level;
import dev.heartlog.agent.LogRecord;
import dev.heartlog.agent.WorkerStatus;
import dev.heartlog.store.TestDatabase;
import dev.heartlog.store.TestPgBouncer;
import java.io.IOException;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Workers whose database URL is a pooler in transaction mode, as Supabase's Supavisor on port
 * 6543 is: a real PgBouncer ({@link TestPgBouncer}) with fewer backends than clients, so that
 * each transaction may run on a backend another client prepared its statements on.
 */
@Timeout(120)
class TransactionPoolerTest {

  private static String databaseUrl;
  private static TestPgBouncer pgbouncer;
  private static String poolerUrl;

  @BeforeAll
  static void startPgBouncer() throws Exception {
    databaseUrl = TestDatabase.migratedUrl();
    pgbouncer = TestPgBouncer.start(databaseUrl, "transaction");
    poolerUrl = pgbouncer.url();
  }

  @AfterAll
  static void stopPgBouncer() throws IOException {
    if (pgbouncer != null) {
      pgbouncer.close();
    }
  }

  @Test
  void workersBehindAPoolerInTransactionModeStoreEveryHeartbeat() throws Exception {
    List<JdbcTransport> workers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      workers.add(JdbcTransport.builder().url(poolerUrl).build());
    }
    List<DeliveryResult> results = new ArrayList<>();
    try {
      // Taking turns, each on its own connection: past its fifth call the driver would prepare
      // the call by name, on whichever of the two backends the pooler gives it.
      for (long beat = 1; beat <= 10; beat++) {
        for (int i = 0; i < workers.size(); i++) {
          results.add(workers.get(i).deliver(heartbeat("pooled-" + i, beat)));
        }
      }
      assertThat(results).allSatisfy(result -> assertThat(result.outcome()).isEqualTo(DeliveryResult.Outcome.STORED));
      assertThat(workers).anySatisfy(worker -> assertThat(worker.usesUnnamedStatements()).isTrue());
    } finally {
      workers.forEach(JdbcTransport::close);
    }
    try (var connection = DriverManager.getConnection(databaseUrl);
        ResultSet stored = connection.createStatement().executeQuery(
            "SELECT count(*) FROM system_logs WHERE source_id LIKE 'pooled-%'")) {
      stored.next();
      assertThat(stored.getLong(1)).isEqualTo(40);
    }
  }

  @Test
  void aDirectConnectionKeepsItsNamedStatements() {
    try (JdbcTransport worker = JdbcTransport.builder().url(databaseUrl).build()) {
      for (long beat = 1; beat <= 10; beat++) {
        assertThat(worker.deliver(heartbeat("direct", beat)).outcome()).isEqualTo(DeliveryResult.Outcome.STORED);
      }
      assertThat(worker.usesUnnamedStatements()).isFalse();
    }
  }

  private static Heartbeat heartbeat(String workerId, long beat) {
    return new Heartbeat(workerId, "session-" + workerId, beat, WorkerStatus.ACTIVE, null, null, null,
        List.of(new LogRecord(Instant.now(), beat, Level.INFO, "beat " + beat, null, Map.of())), Map.of());
  }
}
