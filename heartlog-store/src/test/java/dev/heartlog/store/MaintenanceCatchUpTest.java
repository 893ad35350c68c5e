package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A store whose partition for today is missing (maintenance did not run) keeps today's records
 * in its default partition; the next maintenance moves them into a new partition while
 * heartbeats go on storing today's records. A record stored there between the move and the
 * ATTACH made the ATTACH fail, and all of maintenance with it, on every run while heartbeats
 * came.
 */
class MaintenanceCatchUpTest {

  private final String url = TestDatabase.migratedUrl();
  private final Store store = Store.open(url, null, null);

  @Test
  @Timeout(120)
  void maintenanceCatchesUpOnTodayWhileHeartbeatsStoreTodaysRecords() throws Exception {
    TestDatabase.execute(url, "DROP TABLE system_logs_p" + DateTimeFormatter.BASIC_ISO_DATE.format(LocalDate.now(ZoneOffset.UTC)));
    TestDatabase.execute(url, "SELECT func_worker_heartbeat_with_logs(worker_id_param => 'before-' || g, logs_param => "
        + "(SELECT jsonb_agg(jsonb_build_object('level', 'INFO', 'message', 'm' || i, 'timestamp', now())) "
        + "FROM generate_series(1, 100) AS i)) FROM generate_series(1, 50) AS g");
    assertThat(count("SELECT count(*) FROM system_logs_default")).isEqualTo(5_000);

    AtomicBoolean stop = new AtomicBoolean();
    CompletableFuture<Long> heartbeats = CompletableFuture.supplyAsync(() -> {
      long sent = 0;
      try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
        while (!stop.get() || sent < 20) {
          statement.executeQuery("SELECT func_worker_heartbeat_with_logs(worker_id_param => 'during', logs_param => "
              + "'[{\"level\": \"INFO\", \"message\": \"during maintenance\", \"timestamp\": \"2026-12-01T18:00:00Z\"}]')")
              .close();
          sent++;
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      return sent;
    });

    Maintenance result;
    try {
      while (count("SELECT count(*) FROM system_logs WHERE source_id = 'during'") < 20) {
        Thread.onSpinWait();   // until heartbeats are coming in
      }
      result = store.maintain(null, 3);
    } finally {
      stop.set(true);
    }
    long sent = heartbeats.get(60, TimeUnit.SECONDS);

    assertThat(result.summary()).contains("\"partitions_created\": 1", "\"partitions_in_use\": 0");
    assertThat(count("SELECT count(*) FROM system_logs_default")).as("today's rows moved out").isZero();
    assertThat(count("SELECT count(*) FROM system_logs WHERE source_id = 'during'")).isEqualTo(sent);
    assertThat(count("SELECT count(*) FROM system_logs WHERE source_id LIKE 'before-%'")).isEqualTo(5_000);
  }

  private long count(String sql) throws SQLException {
    return Long.parseLong(TestDatabase.single(url, sql));
  }
}
