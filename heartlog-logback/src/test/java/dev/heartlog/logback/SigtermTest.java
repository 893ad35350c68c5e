package dev.heartlog.logback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker process whose logback.xml installs Logback's own shutdown hook receives SIGTERM with
 * records buffered (neither threshold nor interval has sent them): the final flush delivers all
 * of them within the deadline and the worker ends "stopped".
 */
class SigtermTest {

  private static final int RECORDS = 500;

  @TempDir Path workingFolder;

  @Test
  @Timeout(120)
  void theFinalFlushCompletesOnSigtermDespiteLogbacksShutdownHook() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Process worker = WorkerProcess.startAndAwaitReady(workingFolder, "logback-sigterm.xml", "sigterm-worker", url,
        SigtermWorkerMain.class, Integer.toString(RECORDS));
    assertThat(count(store, "SELECT count(*) FROM system_logs")).as("nothing sent before the signal").isZero();

    worker.destroy();  // SIGTERM
    assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(count(store, "SELECT count(*) FROM system_logs WHERE source_id = 'sigterm-worker'")).isEqualTo(RECORDS);
    assertThat(count(store, "SELECT count(*) FROM workers WHERE id = 'sigterm-worker' AND status = 'stopped'")).isEqualTo(1);
  }

  private static long count(Store store, String sql) {
    return store.withConnection(c -> {
      try (ResultSet rs = c.createStatement().executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }
}
