package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new embedded store made where the environment names a locale the machine lacks: an SSH
 * session from a Mac sets {@code LC_CTYPE=UTF-8}, which Linux has not. initdb refused it, and
 * every command, {@code heartlog demo} first, failed with "Process [..., initdb, ...] failed".
 */
class EmbeddedStoreLocaleTest {

  @Test
  @Timeout(120)
  void aLocaleTheMachineLacksGivesWayToCUtf8(@TempDir Path home) throws Exception {
    ProcessBuilder using = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), EmbeddedStoreProcess.class.getName(), home.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    using.environment().keySet().removeIf(name -> name.equals("LANG") || name.startsWith("LC_"));
    using.environment().put("LC_CTYPE", "UTF-8");
    Process store = using.start();
    try {
      String first = new BufferedReader(new InputStreamReader(store.getInputStream(), StandardCharsets.UTF_8)).readLine();
      assertThat(first).as("what the process printed first").startsWith("port ");

      try (Connection connection = DriverManager.getConnection(
              "jdbc:postgresql://localhost:" + first.substring("port ".length()) + "/postgres?user=postgres");
          ResultSet rs = connection.createStatement().executeQuery("SELECT datctype, lower('ÉCHEC') FROM pg_database WHERE datname = current_database()")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("C.UTF-8");
        assertThat(rs.getString(2)).as("letters beyond ASCII change case, as logs --grep needs").isEqualTo("échec");
      }
    } finally {
      store.getOutputStream().close();
      assertThat(store.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(Files.readString(home.resolve(EmbeddedStore.LOG_FILE)))
        .contains("heartlog: making the store with locale C.UTF-8, since initdb refused the environment's (LC_CTYPE=UTF-8)");
  }
}
