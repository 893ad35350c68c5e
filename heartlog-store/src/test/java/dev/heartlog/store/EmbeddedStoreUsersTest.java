package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded server runs while any heartlog process uses it, and the last of them to end stops
 * it. Before, the process that started it stopped it as it ended, and the others' heartbeats
 * failed from then on (their records waited in their spools for their next start).
 */
@Timeout(180)
class EmbeddedStoreUsersTest {

  @Test
  void theServerOutlivesTheProcessThatStartedItWhileAnotherUsesIt(@TempDir Path home) throws Exception {
    EmbeddedStore started = EmbeddedStore.start(home);
    Process joined = startUsing(home);
    try {
      assertThat(portPrintedBy(joined)).isEqualTo(started.port());

      started.close();

      assertThat(answers(started.port())).as("the server, once its starter has closed").isTrue();
    } finally {
      joined.getOutputStream().close();   // it closes its store, the last user
      assertThat(joined.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(home.resolve("postgres/postmaster.pid")).as("stopped by the last user").doesNotExist();
    try (EmbeddedStore again = EmbeddedStore.start(home)) {   // this JVM's first start holds no lock of the folder
      assertThat(answers(again.port())).isTrue();
    }
  }

  @Test
  void theLastUserStopsTheServerThoughTheProcessThatStartedItWasKilled(@TempDir Path home) throws Exception {
    Process starter = startUsing(home);
    int port = portPrintedBy(starter);
    EmbeddedStore joined = EmbeddedStore.start(home);
    assertThat(joined.port()).isEqualTo(port);

    starter.destroyForcibly();   // SIGKILL: the system lets go of its lock
    assertThat(starter.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(answers(port)).as("the server, once its starter was killed").isTrue();
    ProcessHandle postmaster = ProcessHandle.of(Long.parseLong(
        Files.readAllLines(home.resolve("postgres/postmaster.pid")).get(0).strip())).orElseThrow();

    joined.close();

    assertThat(postmaster.isAlive()).as("the server once its last user closed").isFalse();
    assertThat(home.resolve("postgres/postmaster.pid")).doesNotExist();
  }

  @Test
  void aServerOpenedTwiceInOneProcessRunsUntilBothAreClosed(@TempDir Path home) throws Exception {
    EmbeddedStore first = EmbeddedStore.start(home);
    EmbeddedStore second = EmbeddedStore.start(home);

    first.close();
    assertThat(answers(second.port())).isTrue();
    second.close();

    assertThat(home.resolve("postgres/postmaster.pid")).doesNotExist();
    try (EmbeddedStore again = EmbeddedStore.start(home)) {   // a new start, on the same folder
      assertThat(answers(again.port())).isTrue();
    }
  }

  @Test
  void aStoreClosedOnAnInterruptedThreadStopsItsServer(@TempDir Path home) throws Exception {
    EmbeddedStore store = EmbeddedStore.start(home);

    Thread.currentThread().interrupt();
    try {
      store.close();
      assertThat(Thread.currentThread().isInterrupted()).as("still interrupted").isTrue();
    } finally {
      Thread.interrupted();
    }

    assertThat(home.resolve("postgres/postmaster.pid")).doesNotExist();
  }

  /**
   * The server killed while in use (the out-of-memory killer, a {@code kill -9}): started again on
   * its port, so that the connections of the commands using it come back. Before, a serve on the
   * embedded store answered 503 until it was restarted.
   */
  @Test
  void aServerKilledWhileInUseStartsAgainOnItsPort(@TempDir Path home) throws Exception {
    try (EmbeddedStore store = EmbeddedStore.start(home)) {
      ProcessHandle killed = postmaster(home);

      killed.destroyForcibly();

      assertThat(killed.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
      await().atMost(Duration.ofSeconds(60)).until(() -> answers(store.port()));
      assertThat(postmaster(home).pid()).isNotEqualTo(killed.pid());
    }
    assertThat(home.resolve("postgres/postmaster.pid")).as("stopped by its last user").doesNotExist();
    assertThat(Files.readString(home.resolve(EmbeddedStore.LOG_FILE)))
        .contains("heartlog: the server had stopped while in use; started again on port ");
  }

  /**
   * A start again that fails (here its port taken, as by another program while the server was
   * down; by hand, a disk too full for the server's WAL) is tried again until the cause is gone,
   * and said on the process's stderr, once for each reason, as the start that follows is. Before,
   * the library kept its lock on the data folder after the failed start, and every later start
   * failed with an OverlappingFileLockException ("did not start again: null") until the JVM ended:
   * a serve stayed without its store after its disk had been freed; and only the server's log said so.
   */
  @Test
  @Timeout(240)
  void aServerThatFailedToStartAgainStartsOnceTheCauseIsGoneAndSaysBoth(@TempDir Path home) throws Exception {
    Path stderr = home.resolve("stderr");
    Process using = EmbeddedStoreProcess.launcher(home).redirectError(stderr.toFile()).start();
    List<ServerSocket> taken = new ArrayList<>();
    try {
      int port = portPrintedBy(using);
      // The start lock, held by this process, keeps the other's watch from starting the server
      // again until its port is taken.
      try (FileChannel lockFile = FileChannel.open(home.resolve(EmbeddedStore.START_LOCK_FILE), StandardOpenOption.WRITE);
          FileLock turn = lockFile.lock()) {
        ProcessHandle killed = postmaster(home);
        killed.destroyForcibly();
        killed.onExit().get(30, TimeUnit.SECONDS);
        for (InetAddress address : InetAddress.getAllByName("localhost")) {
          taken.add(new ServerSocket(port, 50, address));
        }
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> log(home).split("did not start again", -1).length > 2);
      for (ServerSocket socket : taken) {
        socket.close();
      }

      // The process notes the start in the server's log, then says it on stderr: wait for both.
      String startedAgain = "heartlog: the embedded PostgreSQL in " + home + " had stopped while in use; started again "
          + "on port " + port;
      await().atMost(Duration.ofSeconds(150)).until(() -> log(home).contains("started again on port " + port)
          && Files.readString(stderr).contains(startedAgain));
      assertThat(answers(port)).isTrue();
      assertThat(log(home)).contains("could not create any TCP/IP sockets").doesNotContain("did not start again: null");
      assertThat(Files.readString(stderr)).as("tried twice or more, said once")
          .containsOnlyOnce("heartlog: the embedded PostgreSQL in " + home + " stopped while in use, and does not start "
              + "again: FATAL: could not create any TCP/IP sockets (its log: " + home.resolve(EmbeddedStore.LOG_FILE)
              + "); trying again")
          .containsOnlyOnce(startedAgain);
    } finally {
      for (ServerSocket socket : taken) {
        socket.close();
      }
      using.getOutputStream().close();
      using.waitFor(60, TimeUnit.SECONDS);
    }
  }

  private static String log(Path home) throws IOException {
    return Files.readString(home.resolve(EmbeddedStore.LOG_FILE));
  }

  private static ProcessHandle postmaster(Path home) throws IOException {
    return ProcessHandle.of(Long.parseLong(Files.readAllLines(home.resolve("postgres/postmaster.pid")).get(0).strip()))
        .orElseThrow();
  }

  /** A JVM of its own that starts or joins the folder's server, until its standard input is closed. */
  static Process startUsing(Path home) throws IOException {
    return EmbeddedStoreProcess.launcher(home).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  /** The port a process of {@link #startUsing} printed once its store was open. */
  static int portPrintedBy(Process process) throws IOException {
    String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
    assertThat(line).as("what the process printed first").startsWith("port ");
    return Integer.parseInt(line.substring("port ".length()));
  }

  private static boolean answers(int port) {
    try (Connection connection = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres?user=postgres")) {
      return connection.isValid(5);
    } catch (SQLException e) {
      return false;
    }
  }
}
