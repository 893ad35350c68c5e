package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.heartlog.store.TestDatabase;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A failover, or a network that drops a connection's packets, leaves the queries under way on
 * the server's pool waiting for answers that never come. Here the database's processes behind
 * those connections are stopped (SIGSTOP), which a client cannot tell from that: its query was
 * sent and no answer comes, while new connections are answered. Before, each such connection
 * stayed in use until the kernel gave up on it (about 15 minutes), and a server whose every
 * connection was under way at that moment answered nothing meanwhile, reproduced by hand with
 * {@code heartlog serve} behind a proxy that stopped forwarding: {@code /api/workers} unanswered
 * for 200 s and on.
 */
class DeadConnectionsTest {

  private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(2);

  @Test
  @Timeout(120)
  void theServersPoolGivesUpConnectionsWhoseDatabaseStoppedAnsweringAndAnswersAgain() throws Exception {
    String url = TestDatabase.migratedUrl();
    StoreOptions options = new StoreOptions();
    options.url = url;
    options.pooledSocketTimeout = SOCKET_TIMEOUT;
    List<Integer> stopped = new ArrayList<>();
    ExecutorService queries = Executors.newCachedThreadPool();
    try (StoreOptions.Opened opened = options.openPooled(ServeCommand.DEFAULT_DB_POOL)) {
      // Every connection of the pool under way, as under a fleet's heartbeats, when the database
      // stops answering them.
      List<Connection> underWay = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        underWay.add(opened.pooledConnection());
      }
      for (Connection connection : underWay) {
        stopped.add(TestDatabase.backendPid(connection));
      }
      assumeThat(signal("STOP", stopped)).as("the test's PostgreSQL runs on this machine").isTrue();
      List<CompletableFuture<String>> waiting = new ArrayList<>();
      for (Connection connection : underWay) {
        waiting.add(CompletableFuture.supplyAsync(() -> selectOne(connection), queries));
      }

      // Each waiting query is given up after the socket timeout, and its connection with it.
      await().atMost(Duration.ofSeconds(30)).until(() -> waiting.stream().allMatch(CompletableFuture::isDone));
      assertThat(waiting).extracting(CompletableFuture::join)
          .allSatisfy(failure -> assertThat(failure).contains("08006"));
      // And the pool opens new ones, which the database answers.
      assertThat(CompletableFuture.supplyAsync(() -> opened.store().lastLogId(), queries).get(20, TimeUnit.SECONDS))
          .isZero();
    } finally {
      signal("CONT", stopped);   // they exit once they see their clients gone
      queries.shutdownNow();
    }
  }

  /** {@code SELECT 1} on {@code connection}, closed after it; what failed (with its SQLSTATE), else "answered". */
  private static String selectOne(Connection connection) {
    try (connection; Statement statement = connection.createStatement()) {
      statement.execute("SELECT 1");
      return "answered";
    } catch (SQLException e) {
      return e.getSQLState() + " " + e.getMessage();
    }
  }

  /** Sends SIGSTOP or SIGCONT to the processes; whether each was sent (this machine's processes). */
  private static boolean signal(String name, List<Integer> pids) throws IOException, InterruptedException {
    boolean sent = true;
    for (int pid : pids) {
      Process kill = new ProcessBuilder("kill", "-" + name, Integer.toString(pid))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      sent &= kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0;
    }
    return sent;
  }
}
