package dev.heartlog.logback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.TestDatabase;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker that stops gracefully on SIGTERM: its own shutdown hook, which runs beside heartlog's,
 * logs as it finishes its task. Those records are the ones that say how the worker stopped.
 */
class GracefulShutdownTest {

  @TempDir Path workingFolder;

  @Test
  @Timeout(120)
  void whatTheWorkersOwnShutdownHookLogsWhileItFinishesIsStored() throws Exception {
    String url = TestDatabase.migratedUrl();
    Process worker = WorkerProcess.startAndAwaitReady(workingFolder, "logback-graceful.xml", "graceful-worker", url,
        GracefulWorkerMain.class, "600");

    worker.destroy();  // SIGTERM
    assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(TestDatabase.single(url, "SELECT string_agg(message, ' | ' ORDER BY seq, id) FROM system_logs "
        + "WHERE source_id = 'graceful-worker'"))
        .isEqualTo("worker started | asked to stop, finishing the task | task finished, exiting");
    assertThat(TestDatabase.single(url, "SELECT status FROM workers WHERE id = 'graceful-worker'")).isEqualTo("stopped");
  }
}
