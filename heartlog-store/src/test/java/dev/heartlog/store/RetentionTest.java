package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How long the store keeps what it holds: 48 hours, the database's {@code heartlog.retention}
 * where it is set, or what a caller of maintenance names.
 */
class RetentionTest {

  private final Store store = TestDatabase.freshStore();

  /** One heartbeat row per age, in hours: retention deletes them as it deletes records. */
  private void heartbeatsAged(int... hours) {
    for (int age : hours) {
      store.withConnection(c -> {
        try (PreparedStatement insert = c.prepareStatement("""
            INSERT INTO worker_heartbeats (worker_id, received_at, status, records, logs_inserted)
            VALUES (?, now() - make_interval(hours => ?), 'active', 0, 0)""")) {
          insert.setString(1, "aged-" + age + "h");
          insert.setInt(2, age);
          return insert.execute();
        }
      });
    }
  }

  private List<String> heartbeatsLeft() {
    return store.withConnection(c -> {
      try (ResultSet rows = c.createStatement().executeQuery(
          "SELECT worker_id FROM worker_heartbeats WHERE worker_id LIKE 'aged-%' ORDER BY received_at")) {
        List<String> left = new java.util.ArrayList<>();
        while (rows.next()) {
          left.add(rows.getString(1));
        }
        return left;
      }
    });
  }

  private void setDatabaseRetention(String value) {
    store.withConnection(c -> c.createStatement().execute(
        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET heartlog.retention = %L', current_database(), '"
            + value + "'); END $$"));
  }

  @Test
  void withoutASettingTheStoreKeeps48Hours() {
    heartbeatsAged(60, 30, 20);

    String result = store.maintain(null, 3).summary();

    assertThat(result).contains("\"retention\": \"48:00:00\"");
    assertThat(heartbeatsLeft()).containsExactly("aged-30h", "aged-20h");
  }

  @Test
  void theDatabasesSettingIsWhatMaintenanceAndTheSeedsCleanupKeep() {
    setDatabaseRetention("24 hours");
    heartbeatsAged(30, 20);

    String result = store.maintain(null, 3).summary();

    assertThat(result).contains("\"retention\": \"24:00:00\"");
    assertThat(heartbeatsLeft()).containsExactly("aged-20h");

    heartbeatsAged(26);
    store.withConnection(c -> c.createStatement().execute("SELECT cleanup_old_system_logs()"));
    assertThat(heartbeatsLeft()).as("the seed's entry point keeps the setting too").containsExactly("aged-20h");
  }

  @Test
  void aRetentionUnderAnHourIsRefusedAndDeletesNothing() {
    // '48' meant as hours is 48 seconds to PostgreSQL: it would drop every earlier day.
    setDatabaseRetention("48");
    heartbeatsAged(30, 20, 0);

    assertThatThrownBy(() -> store.maintain(null, 3)).hasMessageContaining("heartlog: a retention of 00:00:48 is under an hour");
    assertThatThrownBy(() -> store.withConnection(c -> c.createStatement().execute("SELECT cleanup_old_system_logs()")))
        .hasMessageContaining("nothing was deleted");
    assertThatThrownBy(() -> store.maintain(Duration.ofMinutes(30), 3)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a retention under an hour deletes records as they arrive (got PT30M)");
    assertThat(heartbeatsLeft()).containsExactly("aged-30h", "aged-20h", "aged-0h");

    assertThat(store.maintain(Duration.ofHours(1), 3).summary()).contains("\"retention\": \"01:00:00\"");
    assertThat(heartbeatsLeft()).as("an hour is kept: the newest").containsExactly("aged-0h");
  }

  @Test
  void aRetentionTheCallerNamesWinsOverTheSetting() {
    setDatabaseRetention("7 days");
    heartbeatsAged(30, 20);

    String result = store.maintain(Duration.ofHours(24), 3).summary();

    assertThat(result).contains("\"retention\": \"24:00:00\"");
    assertThat(heartbeatsLeft()).containsExactly("aged-20h");
  }

  @Test
  void retentionFindsTheOldHeartbeatsByTheirTimeWithoutReadingTheWholeHistory() {
    // With no index led by received_at, the hourly DELETE read all of worker_heartbeats (V14).
    // The planner chooses a scan by its statistics, so an empty table is read whole either way:
    // sequential scans are ruled out here to see that the statement can use the index at all.
    String plan = store.withConnection(c -> {
      c.setAutoCommit(false);
      try (var statement = c.createStatement()) {
        statement.execute("SET LOCAL enable_seqscan = off");
        StringBuilder lines = new StringBuilder();
        try (ResultSet rows = statement.executeQuery(
            "EXPLAIN DELETE FROM worker_heartbeats WHERE received_at < now() - interval '48 hours'")) {
          while (rows.next()) {
            lines.append(rows.getString(1)).append('\n');
          }
        }
        return lines.toString();
      } finally {
        c.rollback();
        c.setAutoCommit(true);
      }
    });

    assertThat(plan).contains("Index Scan on worker_heartbeats_received", "Index Cond: (received_at < ");
  }
}
