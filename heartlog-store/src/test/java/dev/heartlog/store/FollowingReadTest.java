package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@code logs --follow} and the viewer's live tail read every second: the ids stored after
 * an id, with the records their followers want. That read must go to the newest pages through the id index (migration V9), not
 * scan every partition, or following costs more the larger the store.
 */
class FollowingReadTest {

  private static final int RECORDS = 200_000;

  @Test
  void theRecordsAfterAnIdAreReadThroughTheIdIndex() {
    Store store = storeOf("'INFO'");
    long newest = store.lastLogId();
    String partition = store.withConnection(connection -> {
      try (Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("SELECT tableoid::regclass::text FROM system_logs LIMIT 1")) {
        rows.next();
        return rows.getString(1);   // today's, where the records are; the others are empty
      }
    });

    String plan = store.withConnection(connection -> explainFollowingRead(connection, newest - 10));

    assertThat(newest).isEqualTo(store.withConnection(connection -> {
      try (Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("SELECT max(id) FROM system_logs")) {
        rows.next();
        return rows.getLong(1);
      }
    }));
    assertThat(store.logsAfter(newest - 10, Long.MAX_VALUE, LogFilter.all())).hasSize(10);
    assertThat(store.recordsForFollowers(newest - 10, newest, List.of(newest - 50, newest - 40), List.of(LogFilter.all()), 5_000))
        .extracting(Store.FollowedId::id).hasSize(12).startsWith(newest - 50, newest - 40);
    assertThat(plan).contains("Bitmap Index Scan on " + partition + "_id_idx")
        .doesNotContain("Seq Scan on " + partition + " ");
  }

  @Test
  void whatAFollowerOfTheErrorsMissedIsReadThroughTheIdIndexNotTheErrorsOfTheDay() {
    Store store = storeOf("CASE WHEN g % 50 = 7 THEN 'ERROR' ELSE 'INFO' END");
    long newest = store.lastLogId();
    long after = newest - RECORDS / 2;   // a follower coming back, the errors of half the records

    String plan = store.withConnection(connection -> explainMissedRead(connection, after, newest));

    // Every error of the day, 4,000 here, was read from their index to keep those of the window:
    // on a day's errors of a large fleet that took seconds.
    assertThat(plan).contains("_id_idx").doesNotContain("errors").doesNotContain("problems");
    LogFilter errors = new LogFilter(null, null, "ERROR", null, null, null, 10_000);
    assertThat(store.logsAfter(after, newest, errors)).hasSize(RECORDS / 2 / 50)
        .allSatisfy(record -> assertThat(record.level()).isEqualTo("ERROR"))
        .extracting(StoredRecord::id).isSorted().allSatisfy(id -> assertThat(id).isBetween(after + 1, newest));
  }

  /** A fresh store of {@value #RECORDS} records of now from 100 workers, each of the level {@code level} gives record g. */
  private static Store storeOf(String level) {
    Store store = TestDatabase.freshStore();
    store.withConnection(connection -> {
      try (Statement statement = connection.createStatement()) {
        statement.execute("INSERT INTO system_logs (timestamp, level, message, source_type, source_id) "
            + "SELECT now(), " + level + ", 'record ' || g, 'worker', 'gpu-' || (g % 100) "
            + "FROM generate_series(1, " + RECORDS + ") g");
        statement.execute("ANALYZE system_logs");
      }
      return null;
    });
    return store;
  }

  /** EXPLAIN of what a follower of the errors coming back missed, as the store reads it. */
  private static String explainMissedRead(Connection connection, long afterId, long untilId) throws SQLException {
    Map<String, Object> values = new HashMap<>();
    values.put("after_id", afterId);
    values.put("until_id", untilId);
    values.put("worker", null);
    values.put("task", null);
    values.put("grep", null);
    values.put("component", null);
    values.put("meta", null);
    values.put("levels", connection.createArrayOf("text", new String[] {"ERROR", "CRITICAL"}));
    values.put("limit", 10_000);
    return explain(connection, "logs-after", values);
  }

  /** EXPLAIN of the store's own query file, with what a follower binds. */
  private static String explainFollowingRead(Connection connection, long afterId) throws SQLException {
    Map<String, Object> values = new HashMap<>();
    values.put("after_id", afterId);
    values.put("until_id", afterId + 5_000);
    // Ids below it a follower still waits for (transactions that had not committed).
    values.put("also_ids", connection.createArrayOf("bigint", new Long[] {afterId - 50, afterId - 40}));
    // One follower of the errors.
    values.put("workers", null);
    values.put("tasks", null);
    values.put("grep", null);
    values.put("component", null);
    values.put("meta", null);
    values.put("levels", connection.createArrayOf("text", new String[] {"ERROR", "CRITICAL"}));
    values.put("limit", 5_000);
    return explain(connection, "records-for-followers", values);
  }

  private static String explain(Connection connection, String name, Map<String, Object> values) throws SQLException {
    return TestDatabase.explain(connection, "", name, values);
  }
}
