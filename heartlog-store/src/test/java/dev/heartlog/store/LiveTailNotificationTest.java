package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The ingest function's notification for the live tail ({@code heartlog_logs}). A notification
 * makes the commits of every notifying transaction wait for each other, so a connection sends at
 * most one per {@code heartlog.notify_interval_ms} (default 200).
 */
class LiveTailNotificationTest {

  private static final String ONE_RECORD =
      "SELECT func_worker_heartbeat_with_logs('gpu-1', NULL, NULL, "
          + "'[{\"level\": \"INFO\", \"message\": \"rendered\"}]'::jsonb, NULL)->>'logs_inserted'";

  private Connection listener;
  private Connection worker;

  @BeforeEach
  void connect() throws SQLException {
    String url = TestDatabase.migratedUrl();
    listener = DriverManager.getConnection(url);
    try (Statement statement = listener.createStatement()) {
      statement.execute("LISTEN heartlog_logs");
    }
    worker = DriverManager.getConnection(url);
  }

  @AfterEach
  void close() throws SQLException {
    listener.close();
    worker.close();
  }

  @Test
  void aHeartbeatThatStoresRecordsNotifiesWithItsWorker() throws SQLException {
    assertThat(call(ONE_RECORD)).isEqualTo("1");

    assertThat(notifications()).containsExactly("gpu-1");
  }

  @Test
  void aHeartbeatWithoutRecordsDoesNotNotify() throws SQLException {
    call("SELECT func_worker_heartbeat_with_logs('gpu-1', NULL, NULL, '[]'::jsonb, NULL)->>'success'");

    assertThat(notifications()).isEmpty();
  }

  @Test
  void aConnectionNotifiesAtMostOncePerInterval() throws SQLException {
    call("SELECT set_config('heartlog.notify_interval_ms', '600000', false)");

    for (int i = 0; i < 3; i++) {
      assertThat(call(ONE_RECORD)).isEqualTo("1");
    }

    assertThat(notifications()).containsExactly("gpu-1");
  }

  @Test
  void anIntervalOfZeroNotifiesOnEveryHeartbeat() throws SQLException {
    call("SELECT set_config('heartlog.notify_interval_ms', '0', false)");

    for (int i = 0; i < 3; i++) {
      assertThat(call(ONE_RECORD)).isEqualTo("1");
    }

    assertThat(notifications()).containsExactly("gpu-1", "gpu-1", "gpu-1");
  }

  @Test
  void settingsThatAreNotNumbersNeverFailAHeartbeat() throws SQLException {
    call("SELECT set_config('heartlog.notify_interval_ms', 'often', false)");
    call("SELECT set_config('heartlog.notified_at_ms', 'yesterday', false)");

    assertThat(call(ONE_RECORD)).isEqualTo("1");

    assertThat(notifications()).containsExactly("gpu-1");
  }

  @Test
  void aClockSetBackNotifiesAtOnce() throws SQLException {
    call("SELECT set_config('heartlog.notified_at_ms', '99999999999999', false)");   // year 5138

    assertThat(call(ONE_RECORD)).isEqualTo("1");

    assertThat(notifications()).containsExactly("gpu-1");
  }

  private String call(String sql) throws SQLException {
    try (Statement statement = worker.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
      assertThat(rows.next()).isTrue();
      return rows.getString(1);
    }
  }

  /** Every notification the listener has, waiting half a second for stragglers. */
  private List<String> notifications() throws SQLException {
    PGConnection connection = listener.unwrap(PGConnection.class);
    List<String> payloads = new ArrayList<>();
    PGNotification[] arrived;
    while ((arrived = connection.getNotifications(500)) != null && arrived.length > 0) {
      for (PGNotification notification : arrived) {
        payloads.add(notification.getParameter());
      }
    }
    return payloads;
  }
}
