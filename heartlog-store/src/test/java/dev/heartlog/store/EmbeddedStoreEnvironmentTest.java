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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new embedded store made where the environment gets in initdb's way. Each failed every
 * command, {@code heartlog demo} first, saying only "Process [..., initdb, ...] failed".
 */
class EmbeddedStoreEnvironmentTest {

  /** An SSH session from a Mac sets {@code LC_CTYPE=UTF-8}, a locale Linux has not. */
  @Test
  @Timeout(120)
  void aLocaleTheMachineLacksGivesWayToCUtf8(@TempDir Path home) throws Exception {
    ProcessBuilder using = EmbeddedStoreProcess.launcher(home).redirectError(ProcessBuilder.Redirect.INHERIT);
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

  /**
   * Root in a container: PostgreSQL runs only as another user, which the library gets with
   * {@code unshare -U}, and Docker's default seccomp profile refuses that (here: no unshare on
   * the PATH, which the library takes as refused).
   */
  @Test
  @Timeout(120)
  void rootWithoutUnshareIsToldToRunAsAnotherUser(@TempDir Path home) throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "initdb refuses only root");
    Path bin = Files.createDirectories(home.resolve("bin-without-unshare"));
    for (String program : new String[] {"sh", "id", "cat", "sed", "grep", "uname", "head", "tr", "awk"}) {
      Path found = Path.of("/usr/bin", program);
      if (Files.exists(found)) {
        Files.createSymbolicLink(bin.resolve(program), found);
      }
    }
    ProcessBuilder using = EmbeddedStoreProcess.launcher(home.resolve("home")).redirectErrorStream(true);
    using.environment().put("PATH", bin.toString());
    Process store = using.start();
    String said = new String(store.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(store.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(store.exitValue()).isNotZero();
    assertThat(said).contains("initdb: cannot be run as root: PostgreSQL runs as a user other than root, and this "
        + "machine does not let root start it as one (unshare -U, which a container's default seccomp profile "
        + "refuses): run heartlog as another user (docker run --user 1000:1000), or give --db-url");
  }

  /**
   * Root on a Java runtime made with jlink without jdk.security.auth (here: the JDK's modules
   * limited to java.se): the library cannot tell root, runs initdb as root, and it refuses. The
   * hint names the missing module, where it blamed the machine, whose unshare -U works.
   */
  @Test
  @Timeout(120)
  void rootOnARuntimeWithoutTheUserModuleIsToldToAddIt(@TempDir Path home) throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "initdb refuses only root");
    Process store = EmbeddedStoreProcess.launcher(home.resolve("home"), "--limit-modules", "java.se,jdk.unsupported")
        .redirectErrorStream(true).start();
    String said = new String(store.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(store.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(store.exitValue()).as(said).isNotZero();
    assertThat(said).contains("initdb: cannot be run as root: this Java runtime lacks the module jdk.security.auth, "
        + "by which the embedded PostgreSQL's library tells root and starts PostgreSQL as another user: add it (jlink "
        + "--add-modules jdk.security.auth), run heartlog as another user, or give --db-url");
  }
}
