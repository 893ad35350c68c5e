package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.heartlog.store.EmbeddedStore;
import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import dev.heartlog.store.TestJvm;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code heartlog logs --follow}: what it prints as records come, and how it ends. */
@Timeout(120)
class LogsFollowTest {

  private static String url;

  @BeforeAll
  static void oneRecordStored() throws Exception {
    url = TestDatabase.migratedUrl();
    heartbeat(url, "early-worker", "stored before following");
  }

  @Test
  void followPrintsARecordStoredAfterItStarted() throws Exception {
    StringWriter out = new StringWriter();
    Thread follower = new Thread(() -> Main.commandLine()
        .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(new StringWriter(), true))
        .execute("logs", "--follow", "--limit", "1", "--db-url", url));
    follower.start();
    try {
      await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(follower::isAlive);
      Store.open(url, null, null).withConnection(c -> {
        try (PreparedStatement s = c.prepareStatement("SELECT func_worker_heartbeat_with_logs('late-worker', NULL, NULL, "
            + "'[{\"timestamp\": \"2026-11-27T23:00:00Z\", \"level\": \"INFO\", \"message\": \"arrived late\"}]'::jsonb, NULL)")) {
          return s.execute();
        }
      });
      await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("arrived late"));
      // Only the newest record before following began (--limit 1), then the new one.
      assertThat(out.toString().lines()).hasSize(2);
    } finally {
      follower.interrupt();
      follower.join(10_000);
    }
  }

  /**
   * {@code logs --follow | head -n 2}: once the program reading it has its lines and exits,
   * following ends at its next record. Java ignores the SIGPIPE that ends a C program there; the
   * follower went on for ever, printing into the closed pipe. Here the test reads two lines and
   * closes its end of the pipe, as head does. ({@code --limit 1}: at most one line before
   * following, so that it is following that meets the closed pipe.)
   */
  @Test
  @Timeout(60)
  void followEndsOnceTheProgramReadingItExits() throws Exception {
    Process follower = new ProcessBuilder(TestJvm.main(Main.class,
        "logs", "--follow", "--limit", "1", "--worker", "busy-worker", "--db-url", url))
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    Thread busyWorker = new Thread(() -> {
      Store store = Store.open(url, null, null);
      for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
        String message = "frame " + i;
        store.withConnection(c -> c.createStatement().execute("SELECT func_worker_heartbeat_with_logs('busy-worker', NULL, "
            + "NULL, jsonb_build_array(jsonb_build_object('timestamp', now(), 'level', 'INFO', 'message', '" + message + "')))"));
        try {
          TimeUnit.MILLISECONDS.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    busyWorker.start();
    try {
      BufferedReader printed = new BufferedReader(new InputStreamReader(follower.getInputStream(), StandardCharsets.UTF_8));
      assertThat(List.of(printed.readLine(), printed.readLine())).allMatch(line -> line.contains("busy-worker  frame "));
      printed.close();   // as head -n 2 exits

      assertThat(follower.waitFor(20, TimeUnit.SECONDS)).as("following ended").isTrue();
      assertThat(follower.exitValue()).isZero();
    } finally {
      busyWorker.interrupt();
      follower.destroyForcibly();
    }
  }

  @Test
  @Timeout(60)
  void followReadsOnOneConnectionItHoldsNotANewOneEachSecond() throws Exception {
    StringWriter out = new StringWriter();
    Thread follower = new Thread(() -> Main.commandLine()
        .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(new StringWriter(), true))
        .execute("logs", "--follow", "--limit", "1", "--db-url", url));
    Store store = Store.open(url, null, null);
    Set<Integer> followerConnections = new HashSet<>();
    follower.start();
    try {
      // Two records, each printed by a later read: the follower's connections are watched
      // throughout, a read a second.
      for (String message : List.of("held 1", "held 2")) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
          followerConnections.addAll(followerConnections(store));
          return !followerConnections.isEmpty();
        });
        store.withConnection(c -> {
          try (PreparedStatement s = c.prepareStatement("SELECT func_worker_heartbeat_with_logs('held-worker', NULL, "
              + "NULL, jsonb_build_array(jsonb_build_object('timestamp', now(), 'level', 'INFO', 'message', ?::text)), NULL)")) {
            s.setString(1, message);
            return s.execute();
          }
        });
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
          followerConnections.addAll(followerConnections(store));
          return out.toString().contains(message);
        });
      }

      assertThat(followerConnections).as("the server processes of the follower's connections").hasSize(1);
    } finally {
      follower.interrupt();
      follower.join(10_000);
    }
  }

  /**
   * A store restarted under a follower (an upgrade, a failover; Supabase restarts a project's
   * database for both): following goes on once it answers again, from the last record printed,
   * and says so on stderr. Before, the follower ended with exit code 1 at the first read the
   * store did not answer, and following again meant listing again what was printed already.
   */
  @Test
  @Timeout(120)
  void followGoesOnThroughARestartOfTheStore(@TempDir Path data) throws Exception {
    int port = PortedPostgres.freePort();
    // A server of its own, stopped and started again on the same port, as a restart leaves it.
    EmbeddedPostgres server = PortedPostgres.start(data, port);
    String restartedUrl = "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
    Store store = Store.open(restartedUrl, null, null);
    store.migrate();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Thread follower = new Thread(() -> Main.commandLine()
        .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
        .execute("logs", "--follow", "--db-url", restartedUrl));
    follower.start();
    try {
      // Until it follows: a store that stops answering while the command opens it, or lists the
      // records before following, is a failure of the command.
      await().atMost(Duration.ofSeconds(20)).until(() -> isFollowing(store));
      server.close();
      await().atMost(Duration.ofSeconds(30)).until(() -> err.toString().contains("still following"));
      server = PortedPostgres.start(data, port);
      heartbeat(restartedUrl, "restarted-worker", "stored after the restart");

      await().atMost(Duration.ofSeconds(30)).until(() -> out.toString().contains("stored after the restart"));
      assertThat(follower.isAlive()).isTrue();
      assertThat(err.toString().lines()).hasSize(2);
      assertThat(err.toString()).startsWith("heartlog: query on jdbc:postgresql://localhost:" + port)
          .contains("; still following, trying again every 2 s (Ctrl-C ends)")
          .containsPattern("heartlog: the store answers again after \\d+ s; following on from the last record printed");
    } finally {
      follower.interrupt();
      follower.join(10_000);
      server.close();
    }
  }

  /**
   * Following the embedded store whose server was killed (the out-of-memory killer, a {@code
   * kill -9}): the server is started again on its port, and following goes on with what is stored
   * after. Before, following ended with exit code 1, since a new start took another port.
   */
  @Test
  @Timeout(120)
  void followingAnEmbeddedStoreWhoseServerWasKilledGoesOnOnceItIsStartedAgain(@TempDir Path home) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    try (EmbeddedStore started = EmbeddedStore.start(home)) {
      Store store = Store.open(started.jdbcUrl(), null, null);
      store.migrate();
      Thread follower = new Thread(() -> Main.commandLine()
          .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
          .execute("logs", "--follow", "--home", home.toString()));
      follower.start();
      try {
        await().atMost(Duration.ofSeconds(20)).until(() -> isFollowing(store));

        ProcessHandle killed = postmaster(home);
        killed.destroyForcibly();
        killed.onExit().get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
            .until(() -> postmaster(home).pid() != killed.pid() && isFollowing(Store.open(started.jdbcUrl(), null, null)));
        heartbeat(started.jdbcUrl(), "survivor", "stored after the server was started again");

        // Its pool waits up to 5 s for a connection, so a restart within that is no failure to it.
        await().atMost(Duration.ofSeconds(30)).until(() -> out.toString().contains("stored after the server was started again"));
        assertThat(follower.isAlive()).as(err.toString()).isTrue();
      } finally {
        follower.interrupt();
        follower.join(10_000);
      }
    }
  }

  /** The embedded server's process, as its {@code postmaster.pid} names it. */
  private static ProcessHandle postmaster(Path home) throws java.io.IOException {
    return ProcessHandle.of(Long.parseLong(Files.readAllLines(home.resolve("postgres/postmaster.pid")).get(0).strip()))
        .orElseThrow();
  }

  /**
   * Whether {@code logs --follow} has begun following: its connection has run a follow read, not
   * only the listing before it (the database shows a connection's last query while idle too).
   */
  private static boolean isFollowing(Store store) {
    return store.withConnection(c -> {
      try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM pg_stat_activity "
          + "WHERE application_name = 'heartlog-follow' AND query LIKE '%CASE WHEN wanted%'")) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    });
  }

  /** The server processes of {@code logs --follow}'s connections to the test database now. */
  private static Set<Integer> followerConnections(Store store) {
    return store.withConnection(c -> {
      Set<Integer> pids = new HashSet<>();
      try (ResultSet rs = c.createStatement().executeQuery("SELECT pid FROM pg_stat_activity "
          + "WHERE application_name = 'heartlog-follow' AND datname = current_database()")) {
        while (rs.next()) {
          pids.add(rs.getInt(1));
        }
      }
      return pids;
    });
  }

  @Test
  @Timeout(120)
  void followStoppedByASignalSaysNothingOnStderr(@TempDir Path home) throws Exception {
    // Ctrl-C or SIGTERM: the shutdown closes the follower's pool, and stops the embedded server
    // it started, while its loop may still read. A JVM of its own, since a signal ends the process.
    Path stderr = home.resolve("stderr");
    Process following = new ProcessBuilder(TestJvm.main(Main.class, "logs", "--follow", "--home", home.toString()))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile()).start();
    Path pidFile = home.resolve("postgres").resolve("postmaster.pid");
    // The server says "ready" on its pid file's last line. initdb's single-user backends make and
    // remove a file of that name before the server starts: one gone between exists and the read
    // failed this test once in CI (NoSuchFileException), so a file gone is read as not ready yet.
    await().atMost(Duration.ofSeconds(60)).ignoreException(NoSuchFileException.class)
        .until(() -> Files.exists(pidFile) && Files.readAllLines(pidFile).stream().anyMatch(l -> l.strip().equals("ready")));
    try (EmbeddedStore joined = EmbeddedStore.start(home)) {   // joins the follower's server
      Store store = Store.open(joined.jdbcUrl(), null, null);
      // In its loop: its connection has run a follow read (a signal while the store is still
      // opening is said as a failure to open it).
      await().atMost(Duration.ofSeconds(60)).until(() -> isFollowing(store));
    }

    following.toHandle().destroy();   // SIGTERM

    assertThat(following.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readString(stderr)).isEmpty();
  }

  /** A heartbeat of {@code worker} with one INFO record, as a worker sends it. */
  private static void heartbeat(String url, String worker, String message) {
    Store.open(url, null, null).withConnection(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT func_worker_heartbeat_with_logs(?, NULL, NULL, "
          + "jsonb_build_array(jsonb_build_object('timestamp', now(), 'level', 'INFO', 'message', ?::text)), NULL)")) {
        s.setString(1, worker);
        s.setString(2, message);
        return s.execute();
      }
    });
  }
}
