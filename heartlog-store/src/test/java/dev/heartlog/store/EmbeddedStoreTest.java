package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    assertThat(Files.readString(home.resolve(EmbeddedStore.LOG_FILE)))
        .as("the server's own output, kept in the home folder").contains("database system is ready to accept connections");
  }

  /**
   * Workers started together under {@code heartlog run} on one folder (a supervisor after a
   * reboot): each process looked for the folder's server at the same moment, found none, and
   * started one. All but one failed ("could not lock .../epg-lock"); on a new folder, where initdb
   * runs first, all three of three did, by hand. Now they take turns, and the later ones join.
   */
  @Test
  @Timeout(180)
  void processesStartedTogetherOnANewFolderShareOneServer(@TempDir Path home) throws Exception {
    List<Process> processes = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        processes.add(EmbeddedStoreUsersTest.startUsing(home));
      }
      Set<Integer> ports = new HashSet<>();
      for (Process process : processes) {
        ports.add(EmbeddedStoreUsersTest.portPrintedBy(process));
      }
      assertThat(ports).as("one server, which each process uses").hasSize(1);
    } finally {
      for (Process process : processes) {
        process.getOutputStream().close();   // each closes the store; the last one stops the server
      }
      for (Process process : processes) {
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      }
    }
    assertThat(home.resolve("postgres/postmaster.pid")).doesNotExist();
  }

  @Test
  void whyTheServerStoppedIsReadFromWhatThisStartLogged(@TempDir Path home) throws IOException {
    Path log = home.resolve(EmbeddedStore.LOG_FILE);
    Files.writeString(log, "2026-11-30 09:00:00.000 GMT [11] FATAL:  an earlier start's reason\n");
    long before = Files.size(log);
    Files.writeString(log, "waiting for server to start....2026-12-01 12:36:23.596 GMT [3227] FATAL:  invalid value for "
        + "parameter \"DateStyle\": \"nonsense\"\n2026-12-01 12:36:23.596 GMT [3227] DETAIL:  Unrecognized key word\n"
        + "pg_ctl: could not start server\n", StandardOpenOption.APPEND);

    assertThat(ServerStart.fatalLine(log, before)).contains("FATAL: invalid value for parameter \"DateStyle\": \"nonsense\"");
    assertThat(ServerStart.fatalLine(log, Files.size(log))).isEmpty();
    assertThat(ServerStart.fatalLine(home.resolve("no-such.log"), 0)).isEmpty();
    long beforeInitdb = Files.size(log);
    Files.writeString(log, "creating directory /data/postgres ... initdb: error: could not create directory "
        + "\"/data/postgres\": No space left on device\n", StandardOpenOption.APPEND);
    assertThat(ServerStart.fatalLine(log, beforeInitdb))
        .contains("initdb: could not create directory \"/data/postgres\": No space left on device");
  }

  @Test
  @Timeout(30)
  void aServerThatStoppedAtOnceIsReportedWithItsReasonWhileTheLibraryStillWaits(@TempDir Path home) throws IOException {
    Path log = home.resolve(EmbeddedStore.LOG_FILE);
    Files.writeString(log, "2026-11-30 09:00:00.000 GMT [11] FATAL:  an earlier start's reason\n");
    long from = Files.size(log);
    Files.writeString(log, "2026-12-01 15:21:20.122 GMT [22395] FATAL:  invalid value for parameter \"DateStyle\": "
        + "\"bogus\"\npg_ctl: could not start server\n", StandardOpenOption.APPEND);
    CountDownLatch never = new CountDownLatch(1);   // as zonky, still waiting for connections

    assertThatThrownBy(() -> ServerStart.awaitStart(() -> {
      never.await();
      return null;
    }, log, from, home.resolve("postgres")))
        .isInstanceOf(IOException.class)
        .hasMessage("FATAL: invalid value for parameter \"DateStyle\": \"bogus\" (its log: " + log + ")");
  }

  @Test
  @Timeout(30)
  void aServerThatIsAliveIsWaitedForThoughItsLogSaysFatal(@TempDir Path home) throws Exception {
    Path log = home.resolve(EmbeddedStore.LOG_FILE);
    Files.writeString(log, "2026-12-01 15:21:20.122 GMT [22395] FATAL:  the database system is starting up\n");
    Path data = Files.createDirectories(home.resolve("postgres"));
    // A live postmaster's lock file: a process of a program named postgres, the port on line 4.
    Process server = programNamedPostgres(home);
    String started;
    try {
      Files.writeString(data.resolve("postmaster.pid"), server.pid() + "\n" + data + "\n0\n5432\n");

      started = ServerStart.awaitStart(() -> {
        Thread.sleep(1_000);   // four of the watcher's looks at the log
        return "started";
      }, log, 0, data);
    } finally {
      server.destroy();
    }

    assertThat(started).isEqualTo("started");
    assertThatThrownBy(() -> ServerStart.awaitStart(() -> {
      throw new IOException("initdb failed");
    }, log, 0, data)).isInstanceOf(IOException.class).hasMessage("initdb failed");
  }

  /**
   * A machine or container restarted after its server died with it: the server's {@code
   * postmaster.pid} names a number that another process has now (here this JVM). Taken for the
   * server, every command tried its old port and failed, saying to check --db-url; and
   * PostgreSQL refuses to start while a process of its user has the number its lock file names
   * (not here, where the tests' root runs the server as another user).
   */
  @Test
  @Timeout(120)
  void aPidFileWhoseNumberAnotherProgramHasNowIsSetAsideAndTheServerStarted(@TempDir Path home) throws Exception {
    try (EmbeddedStore first = EmbeddedStore.start(home)) {
      assertThat(first.port()).isPositive();   // made the data folder
    }
    Path pidFile = home.resolve("postgres/postmaster.pid");
    int deadPort = freePort();
    Files.writeString(pidFile, ProcessHandle.current().pid() + "\n" + home.resolve("postgres") + "\n1764650000\n"
        + deadPort + "\n/tmp\nlocalhost\n  5432001         0\nready   \n");

    try (EmbeddedStore store = EmbeddedStore.start(home)) {
      assertThat(store.port()).isNotEqualTo(deadPort);
      assertThat(settings(store.jdbcUrl(), "fsync")).containsEntry("fsync", "on");
    }
    assertThat(Files.readString(home.resolve(EmbeddedStore.LOG_FILE))).contains("heartlog: removed postmaster.pid, left "
        + "by a server that no longer runs (process " + ProcessHandle.current().pid() + " has ended, or runs another program now)");
  }

  /** A process of a program named {@code postgres} (a copy of {@code sleep}), as a live server is to {@code ps}. */
  private static Process programNamedPostgres(Path folder) throws IOException {
    Path program = folder.resolve("bin/postgres");
    Files.createDirectories(program.getParent());
    Files.copy(Path.of("/bin/sleep"), program);
    return new ProcessBuilder(program.toString(), "60").start();
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void aLogThatReachedTheLimitIsSetAsideReplacingTheOneBefore(@TempDir Path home) throws IOException {
    Path log = home.resolve(EmbeddedStore.LOG_FILE);
    Path before = home.resolve(EmbeddedStore.LOG_FILE + ".1");
    Files.writeString(before, "the log set aside last time\n");
    Files.writeString(log, "123456789\n");

    ServerStart.setAsideIfLarger(log, 11);
    assertThat(log).hasContent("123456789");
    ServerStart.setAsideIfLarger(log, 10);

    assertThat(log).doesNotExist();
    assertThat(before).hasContent("123456789");
    ServerStart.setAsideIfLarger(log, 10);   // a first start: no log yet
  }

  @Test
  void aPgportThatIsNoPortIsRefusedBeforeTheServerStarts() throws IOException {
    ServerStart.checkPortVariable(null);
    ServerStart.checkPortVariable("5433");   // psql's; the server is given its own with -p

    for (String bad : new String[] {"", "postgres", "70000", "0"}) {
      assertThatThrownBy(() -> ServerStart.checkPortVariable(bad))
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
