package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Maintenance beside a long read of system_logs (an export, a dump): PostgreSQL queues a lock
 * request that waits ahead of every later one on the same table, so a DROP of an expired
 * partition waiting for the reader would hold up every heartbeat that carries records, and an
 * ATTACH of a new day's partition every other reader, for as long as the reader runs. With brief
 * lock waits, both go on, and maintenance leaves the partitions to its next run.
 */
class MaintenanceLocksTest {

  private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

  private final String url = TestDatabase.migratedUrl();
  private final Store store = Store.open(url, null, null);

  @Test
  @Timeout(120)
  void heartbeatsGoOnWhileTheDropOfAnExpiredPartitionWaitsForALongRead() throws Exception {
    LocalDate expired = LocalDate.now(ZoneOffset.UTC).minusDays(5);
    TestDatabase.execute(url, "CREATE TABLE system_logs_p" + DAY.format(expired) + " PARTITION OF system_logs "
        + "FOR VALUES FROM ('" + expired + " 00:00+00') TO ('" + expired.plusDays(1) + " 00:00+00')");

    try (Connection reader = longRead()) {
      CompletableFuture<String> maintenance = maintainWhenItWaits();

      assertThat(CompletableFuture.supplyAsync(() -> call(
              "SELECT func_worker_heartbeat_with_logs(worker_id_param => 'busy-store', logs_param => "
                  + "'[{\"level\":\"INFO\",\"message\":\"during maintenance\",\"timestamp\":\"2026-12-01T17:00:00Z\"}]')::text")))
          .as("a heartbeat with a record, while the long read still runs")
          .succeedsWithin(Duration.ofSeconds(30), InstanceOfAssertFactories.STRING)
          .contains("\"logs_inserted\": 1");

      assertThat(maintenance.get(60, TimeUnit.SECONDS))
          .contains("\"partitions_dropped\": 0", "\"partitions_in_use\": 1");
      assertThat(partitionExists(expired)).isTrue();
      reader.rollback();
    }

    assertThat(store.maintain(null, 3)).isEqualTo(new Maintenance(
        "{\"retention\": \"48:00:00\", \"partitions_in_use\": 0, \"partitions_created\": 0, \"partitions_dropped\": 1}", 0));
    assertThat(partitionExists(expired)).isFalse();
  }

  @Test
  @Timeout(120)
  void readsGoOnWhileTheAttachOfANewDaysPartitionWaitsForALongRead() throws Exception {
    LocalDate lastAhead = LocalDate.now(ZoneOffset.UTC).plusDays(3);
    TestDatabase.execute(url, "DROP TABLE system_logs_p" + DAY.format(lastAhead));

    try (Connection reader = longRead()) {
      CompletableFuture<String> maintenance = maintainWhenItWaits();

      assertThat(CompletableFuture.supplyAsync(() -> call("SELECT count(*)::text FROM system_logs")))
          .as("another read of system_logs, while the long read still runs")
          .succeedsWithin(Duration.ofSeconds(30), InstanceOfAssertFactories.STRING)
          .isEqualTo("0");

      assertThat(maintenance.get(60, TimeUnit.SECONDS))
          .contains("\"partitions_created\": 0", "\"partitions_in_use\": 1");
      assertThat(partitionExists(lastAhead)).isFalse();
      reader.rollback();
    }

    assertThat(store.maintain(null, 3)).isEqualTo(new Maintenance(
        "{\"retention\": \"48:00:00\", \"partitions_in_use\": 0, \"partitions_created\": 1, \"partitions_dropped\": 0}", 0));
    assertThat(partitionExists(lastAhead)).isTrue();
  }

  /** A transaction that has read all of system_logs and goes on holding its lock on every partition. */
  private Connection longRead() throws SQLException {
    Connection reader = DriverManager.getConnection(url);
    reader.setAutoCommit(false);
    try (Statement statement = reader.createStatement()) {
      statement.executeQuery("SELECT count(*) FROM system_logs").close();
    }
    return reader;
  }

  /** Starts maintenance on a connection of its own and returns once it waits for a lock. */
  private CompletableFuture<String> maintainWhenItWaits() throws SQLException {
    Connection connection = DriverManager.getConnection(url);
    int pid = TestDatabase.backendPid(connection);
    CompletableFuture<String> maintenance = CompletableFuture.supplyAsync(() -> {
      try (connection; Statement statement = connection.createStatement();
          ResultSet result = statement.executeQuery("SELECT heartlog_maintain()::text")) {
        result.next();
        return result.getString(1);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
    try (Connection observer = DriverManager.getConnection(url)) {
      // Each of its waits lasts 100 ms, half a second apart.
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
          .until(() -> TestDatabase.waitsOnALock(observer, pid));
    }
    return maintenance;
  }

  private boolean partitionExists(LocalDate day) throws SQLException {
    return TestDatabase.single(url, "SELECT to_regclass('system_logs_p" + DAY.format(day) + "') IS NOT NULL").equals("t");
  }

  private String call(String sql) {
    try {
      return TestDatabase.single(url, sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
