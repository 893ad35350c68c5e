package dev.heartlog.jdbc.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import dev.heartlog.store.TestJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 2: a worker process, its store unreachable for a while, is killed with kill -9 while
 * it logs (spool sync "always"). A new process with the same worker id replays the spool: the
 * dead session's records are stored without a gap in their sequence and without duplicates, up
 * to at least every record that had reached the spool. What the dead process held only in memory
 * (records not yet cut into a batch) dies with it.
 */
class KillNineScenarioTest {

  private static final String WORKER = "kill-nine-worker";

  @TempDir Path spool;

  @Test
  @Timeout(180)
  void theNextProcessReplaysTheSpoolWithoutGapsOrDuplicates() throws Exception {
    String direct = TestDatabase.migratedUrl();
    Store store = Store.open(direct, null, null);
    try (FaultProxy proxy = new FaultProxy(direct)) {
      String url = proxy.jdbcUrl();

      AtomicLong logged = new AtomicLong();
      AtomicLong safe = new AtomicLong();
      AtomicReference<String> session = new AtomicReference<>();
      Process first = startWorker(url, 0, logged, safe, session);
      await().atMost(Duration.ofSeconds(60)).until(() -> stored(store, "") > 200);
      proxy.refuse(true);
      long safeWhenCut = safe.get();
      await().atMost(Duration.ofSeconds(60)).until(() -> safe.get() > safeWhenCut + 1_000);
      first.destroyForcibly().waitFor();
      long loggedAtKill = logged.get();
      long safeAtKill = safe.get();

      proxy.refuse(false);
      Process second = startWorker(url, 500, new AtomicLong(), new AtomicLong(), new AtomicReference<>());
      assertThat(second.waitFor()).isZero();

      String dead = session.get();
      long deadStored = stored(store, dead);
      long deadMaxSeq = single(store, "SELECT coalesce(max(seq), 0) FROM system_logs WHERE session_id = ?", dead);
      long deadMinSeq = single(store, "SELECT coalesce(min(seq), 0) FROM system_logs WHERE session_id = ?", dead);
      long messageMismatch = single(store,
          "SELECT count(*) FROM system_logs WHERE session_id = ? AND message <> 'record ' || seq", dead);
      Ledger ledger = Ledger.count("2-kill-nine", direct, WORKER, deadStored + 500).assertBalanced();
      Files.writeString(Path.of("target", "reliability", "2-kill-nine.txt"), String.format(
          "killed_session: logged_at_least=%d safe_at_kill=%d stored=%d seq_range=%d..%d lost_in_memory_at_most=%d; "
              + "next_session: logged=500%n", loggedAtKill, safeAtKill, deadStored, deadMinSeq, deadMaxSeq,
          Math.max(0, loggedAtKill + 20 - deadStored)), StandardOpenOption.APPEND);

      assertThat(ledger.duplicates()).isZero();
      assertThat(deadMinSeq).isEqualTo(1);
      assertThat(deadStored).as("no gap: every number from 1 to the highest stored").isEqualTo(deadMaxSeq);
      assertThat(messageMismatch).isZero();
      assertThat(deadStored).as("everything that reached the spool").isGreaterThanOrEqualTo(safeAtKill);
      assertThat(stored(store, "")).isEqualTo(deadStored + 500);
    }
  }

  private Process startWorker(String url, int records, AtomicLong logged, AtomicLong safe, AtomicReference<String> session)
      throws IOException {
    Process process = new ProcessBuilder(
            TestJvm.main(SpoolingWorkerMain.class, url, WORKER, spool.toString(), Integer.toString(records)))
        .redirectErrorStream(true)
        .start();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          String[] words = line.split(" ");
          if (words[0].equals("session")) {
            session.set(words[1]);
          } else if (words[0].equals("logged") && words.length == 4) {
            logged.set(Long.parseLong(words[1]));
            safe.set(Long.parseLong(words[3]));
          }
        }
      } catch (IOException e) {
        // The process died; that is the point.
      }
    });
    reader.setDaemon(true);
    reader.start();
    return process;
  }

  private static long stored(Store store, String session) {
    return session.isEmpty()
        ? single(store, "SELECT count(*) FROM system_logs WHERE source_id = ? AND metadata->>'heartlog_dropped' IS NULL", WORKER)
        : single(store, "SELECT count(*) FROM system_logs WHERE session_id = ?", session);
  }

  private static long single(Store store, String sql, String parameter) {
    return store.withConnection(c -> {
      try (PreparedStatement statement = c.prepareStatement(sql)) {
        statement.setString(1, parameter);
        try (ResultSet rs = statement.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }
}
