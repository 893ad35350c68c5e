package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A time sent without an offset (Python's {@code datetime.utcnow().isoformat()}) is UTC, whatever
 * zone the caller's session is in: heartlog serve's JDBC sessions take the zone of the machine it
 * runs on, PostgREST's the database's default.
 */
class RecordTimeZoneTest {

  private static final String NEW_YORK = "SET TimeZone = 'America/New_York'";

  private Store store;

  @BeforeEach
  void freshStore() {
    store = TestDatabase.freshStore();
  }

  @Test
  void aRecordsTimeWithoutAnOffsetIsUtcOnEitherPathInASessionOfAnotherZone() {
    String records = "{\"timestamp\": \"2026-11-30T10:00:00.123456\", \"level\": \"ERROR\", \"message\": \"naive\"},"
        + "{\"timestamp\": \"2026-11-30T10:00:01+00:00\", \"level\": \"INFO\", \"message\": \"with its offset\"}";

    List<String> zoneAfter = store.withConnection(connection -> {
      execute(connection, NEW_YORK);
      TestDatabase.heartbeat(connection, "at-once", "[" + records + "]");
      TestDatabase.heartbeat(connection, "one-by-one", "[" + records + ", 7]");   // 7: not a record
      return strings(connection, "SHOW TimeZone");
    });

    String stored = "SELECT message || ' ' || to_char(timestamp AT TIME ZONE 'UTC', 'HH24:MI:SS.US') FROM system_logs "
        + "WHERE source_id = '%s' AND message NOT LIKE 'heartlog rejected%%' ORDER BY timestamp";
    assertThat(storedStrings(stored.formatted("at-once"))).containsExactly("naive 10:00:00.123456", "with its offset 10:00:01.000000");
    assertThat(storedStrings(stored.formatted("one-by-one"))).containsExactly("naive 10:00:00.123456", "with its offset 10:00:01.000000");
    assertThat(zoneAfter).as("the caller's session keeps its zone").containsExactly("America/New_York");
  }

  @Test
  void theFallbackHeartbeatsTimeWithoutAnOffsetIsUtcTooAndOneThatCannotBeReadIsItsArrival() {
    store.withConnection(connection -> execute(connection, "INSERT INTO workers (id) VALUES ('patched'), ('garbled')"));

    // As heartlog serve on a machine set to another zone: pgjdbc gives each session the JVM's.
    TimeZone machines = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
    try {
      assertThat(storedStrings("SHOW TimeZone")).containsExactly("America/New_York");
      store.updateWorker("patched", Map.of("last_heartbeat", "2026-11-30T10:00:00"), false, null);
      store.updateWorker("garbled", Map.of("last_heartbeat", "yesterday-ish"), false, null);
    } finally {
      TimeZone.setDefault(machines);
    }

    assertThat(storedStrings(
        "SELECT id || ' ' || CASE WHEN id = 'garbled' THEN (now() - last_heartbeat < interval '1 minute')::text "
            + "ELSE to_char(last_heartbeat AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') END FROM workers ORDER BY id"))
        .containsExactly("garbled true", "patched 2026-11-30 10:00:00");
  }

  private List<String> storedStrings(String sql) {
    return store.withConnection(connection -> strings(connection, sql));
  }

  private static boolean execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      return statement.execute(sql);
    }
  }

  private static List<String> strings(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
      return rows;
    }
  }
}
