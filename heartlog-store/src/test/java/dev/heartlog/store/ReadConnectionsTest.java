package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A read of several queries takes one connection: without a pool ({@code heartlog logs}, {@code
 * heartlog tasks}, {@code heartlog task}, {@code heartlog worker}) every connection is a new one,
 * a TLS handshake away on a remote store, and the newest records' windows are up to eight queries.
 */
class ReadConnectionsTest {

  private static final Instant NOW = Instant.now();

  private static String url;
  private static Store store;
  private static final AtomicInteger opened = new AtomicInteger();

  @BeforeAll
  static void fill() {
    url = TestDatabase.migratedUrl();
    PGSimpleDataSource direct = new PGSimpleDataSource();
    direct.setURL(url);
    store = Store.open(new CountingDataSource(direct), url);
    store.withConnection(c -> TestDatabase.heartbeat(c, "gpu-1",
        "[{\"timestamp\": \"" + NOW.minus(Duration.ofMinutes(30)) + "\", \"level\": \"ERROR\", "
            + "\"message\": \"CUDA out of memory\", \"task_id\": \"t-1\"}]"));
  }

  @Test
  void theNewestRecordsSearchedInEveryWindowTakeOneConnection() {
    int before = opened.get();

    // A component no record has: every window is read, then the whole range.
    assertThat(store.logs(new LogFilter(null, null, null, null, null, null, "no.such.component", 100))).isEmpty();

    assertThat(opened.get() - before).isEqualTo(1);
  }

  @Test
  void aTaskListPickedInEveryWindowAndSummedUpTakesOneConnection() {
    int before = opened.get();

    assertThat(store.tasks(new TaskFilter(null, NOW.minus(Duration.ofHours(1)), null, true, 50)))
        .extracting(RecentTask::id).containsExactly("t-1");

    assertThat(opened.get() - before).isEqualTo(1);
  }

  @Test
  void aTasksTimelineAndAWorkersPageTakeOneConnectionEach() {
    int before = opened.get();
    assertThat(store.task("t-1").records()).hasSize(1);
    int afterTask = opened.get();
    assertThat(store.worker("gpu-1", 100, 20)).hasValueSatisfying(worker -> assertThat(worker.records()).hasSize(1));

    assertThat(afterTask - before).as("the task's records, its heartbeats").isEqualTo(1);
    assertThat(opened.get() - afterTask).as("the worker, its tasks, its records").isEqualTo(1);
  }

  @Test
  void theCommandLinesStoreNamesNoStatementSoAPoolerInTransactionModeCanPassItsReadsOn() {
    Store direct = Store.open(url, null, null);

    // A read of the newest records in every window runs the same statement six times on one
    // connection; by default the driver would prepare it by name from the fifth, and a pooler in
    // transaction mode could send its execution to a server connection that never saw it.
    List<String> named = direct.withConnection(c -> {
      for (int i = 0; i < 6; i++) {
        try (PreparedStatement statement = c.prepareStatement("SELECT count(*) FROM system_logs WHERE level = ?")) {
          statement.setString(1, "ERROR");
          statement.executeQuery().close();
        }
      }
      List<String> statements = new ArrayList<>();
      try (ResultSet rs = c.createStatement().executeQuery("SELECT name FROM pg_prepared_statements")) {
        while (rs.next()) {
          statements.add(rs.getString(1));
        }
      }
      return statements;
    });

    assertThat(named).isEmpty();
    String urlNamingFromTheFifth = url + (url.contains("?") ? "&" : "?") + "prepareThreshold=5";
    int namedByTheUrlsThreshold = Store.open(urlNamingFromTheFifth, null, null).withConnection(c -> {
      for (int i = 0; i < 6; i++) {
        try (PreparedStatement statement = c.prepareStatement("SELECT 1")) {
          statement.executeQuery().close();
        }
      }
      try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM pg_prepared_statements")) {
        rs.next();
        return rs.getInt(1);
      }
    });
    assertThat(namedByTheUrlsThreshold).as("prepareThreshold in the URL decides").isEqualTo(1);
  }

  /** A data source that counts the connections it opens. */
  private record CountingDataSource(DataSource inner) implements DataSource {
    @Override
    public Connection getConnection() throws SQLException {
      opened.incrementAndGet();
      return inner.getConnection();
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      opened.incrementAndGet();
      return inner.getConnection(user, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
      return inner.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
      inner.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
      inner.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
      return inner.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      return inner.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
      return inner.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
      return inner.isWrapperFor(type);
    }
  }
}
