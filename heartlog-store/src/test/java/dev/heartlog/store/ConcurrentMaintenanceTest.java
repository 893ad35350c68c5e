package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Maintenance run twice at once: pg_cron's hourly job beside a heartlog serve, or servers behind
 * a load balancer that started together and so maintain at the same second of each hour. Both
 * found the day after the last partition missing; the second waited for the first's locks, then
 * failed creating the same partition ("relation ... already exists"), its whole run with it.
 */
@Timeout(60)
class ConcurrentMaintenanceTest {

  private final String url = TestDatabase.migratedUrl();
  private final Store store = Store.open(url, null, null);

  @Test
  void aRunWhileAnotherIsUnderWayLeavesTheWorkToThatOneAndFailsNothing() throws Exception {
    String lastAhead = "system_logs_p" + DateTimeFormatter.BASIC_ISO_DATE.format(LocalDate.now(ZoneOffset.UTC).plusDays(3));
    TestDatabase.execute(url, "DROP TABLE " + lastAhead);

    try (Connection first = DriverManager.getConnection(url)) {
      first.setAutoCommit(false);
      assertThat(single(first, "SELECT heartlog_maintain()::text")).contains("\"partitions_created\": 1");
      // The first run's transaction ends a second later, while the second would wait for its locks.
      CompletableFuture<Void> firstEnds = CompletableFuture.runAsync(() -> {
        try {
          TimeUnit.SECONDS.sleep(1);
          first.commit();
        } catch (InterruptedException | SQLException e) {
          throw new IllegalStateException(e);
        }
      });

      Maintenance second = store.maintain(null, 3);

      firstEnds.join();
      assertThat(second.summary()).contains("\"skipped\": \"another maintenance run is under way\"",
          "\"partitions_created\": 0", "\"partitions_dropped\": 0");
      assertThat(second.partitionsInUse()).as("nothing left for a later run: the first did it").isZero();
    }
    assertThat(store.maintain(null, 3)).as("the next run, alone, finds everything done").isEqualTo(new Maintenance(
        "{\"retention\": \"48:00:00\", \"partitions_in_use\": 0, \"partitions_created\": 0, \"partitions_dropped\": 0}", 0));
    assertThat(TestDatabase.single(url, "SELECT to_regclass('" + lastAhead + "') IS NOT NULL")).isEqualTo("t");
  }

  private static String single(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
