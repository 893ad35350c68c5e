package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default keeps what it acknowledged as a production server does. */
class EmbeddedStoreTest {

  @Test
  @Timeout(120)
  void aCommitReturnsOnlyOnceItsRecordsAreOnDisk(@TempDir Path home) throws Exception {
    try (EmbeddedStore store = EmbeddedStore.start(home)) {
      assertThat(settings(store.jdbcUrl(), "synchronous_commit", "fsync", "full_page_writes"))
          .containsExactly(Map.entry("synchronous_commit", "on"), Map.entry("fsync", "on"), Map.entry("full_page_writes", "on"));
    }
  }

  @Test
  void aPgportThatIsNoPortIsRefusedBeforeTheServerStarts() throws IOException {
    EmbeddedStore.checkPortVariable(null);
    EmbeddedStore.checkPortVariable("5433");   // psql's; the server is given its own with -p

    for (String bad : new String[] {"", "postgres", "70000", "0"}) {
      assertThatThrownBy(() -> EmbeddedStore.checkPortVariable(bad))
          .isInstanceOf(IOException.class)
          .hasMessage("the environment's PGPORT ('" + bad + "') is no port, and PostgreSQL will not start with it: "
              + "unset it, or give --db-url");
    }
  }

  private static Map<String, String> settings(String url, String... names) throws SQLException {
    Map<String, String> values = new LinkedHashMap<>();
    try (Connection connection = DriverManager.getConnection(url)) {
      for (String name : names) {
        try (ResultSet rs = connection.createStatement().executeQuery("SHOW " + name)) {
          rs.next();
          values.put(name, rs.getString(1));
        }
      }
    }
    return values;
  }
}
