package dev.heartlog.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.GracefulWorker;
import dev.heartlog.store.TestDatabase;
import dev.heartlog.store.TestJvm;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Log4j 2 worker in a JVM of its own that stops gracefully on SIGTERM: its own shutdown hook,
 * which runs beside heartlog's, logs as it finishes its task. Those records are the ones that say
 * how the worker stopped.
 */
class GracefulShutdownTest {

  @TempDir Path workingFolder;

  @Test
  @Timeout(120)
  void whatTheWorkersOwnShutdownHookLogsWhileItFinishesIsStored() throws Exception {
    String url = TestDatabase.migratedUrl();
    Process worker = GracefulWorker.start(TestJvm.java(
        "-Dlog4j2.configurationFile=" + Path.of("target", "test-classes", "log4j2-graceful.xml").toAbsolutePath(),
        "-Dheartlog.test.worker=log4j-graceful", "-Dheartlog.test.url=" + url,
        "-cp", System.getProperty("java.class.path"), GracefulWorkerMain.class.getName(), "600"), workingFolder);

    worker.destroy();  // SIGTERM
    assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(TestDatabase.single(url, "SELECT string_agg(message, ' | ' ORDER BY seq, id) FROM system_logs "
        + "WHERE source_id = 'log4j-graceful'"))
        .isEqualTo("worker started | asked to stop, finishing the task | task finished, exiting");
    assertThat(TestDatabase.single(url, "SELECT status FROM workers WHERE id = 'log4j-graceful'")).isEqualTo("stopped");
  }
}
