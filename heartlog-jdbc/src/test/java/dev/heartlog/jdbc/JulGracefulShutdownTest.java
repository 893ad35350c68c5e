package dev.heartlog.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.jul.HeartlogLogManager;
import dev.heartlog.store.GracefulWorker;
import dev.heartlog.store.TestDatabase;
import dev.heartlog.store.TestJvm;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker that logs through {@code java.util.logging} gets SIGTERM, and its shutdown hook logs
 * as it finishes its task. The JDK's own hook resets JUL beside it, taking heartlog's handler
 * away; with {@link HeartlogLogManager} the handlers stay until the agent has delivered.
 */
@Timeout(120)
class JulGracefulShutdownTest {

  private final String url = TestDatabase.migratedUrl();

  @Test
  void withHeartlogsLogManagerWhatTheWorkersShutdownHookLogsIsStored() throws Exception {
    stopGracefully("jul-managed", "-Djava.util.logging.manager=" + HeartlogLogManager.class.getName());

    assertThat(messages("jul-managed"))
        .isEqualTo("worker started | asked to stop, finishing the task | task finished, exiting");
    assertThat(TestDatabase.single(url, "SELECT status FROM workers WHERE id = 'jul-managed'")).isEqualTo("stopped");
  }

  /** What the README says: the JDK's hook takes the handler away, and the hook's last record is lost. */
  @Test
  void withJulsOwnLogManagerTheHooksLastRecordIsLost() throws Exception {
    stopGracefully("jul-plain");

    assertThat(messages("jul-plain")).startsWith("worker started").doesNotContain("task finished, exiting");
  }

  private void stopGracefully(String workerId, String... jvmOptions) throws Exception {
    List<String> command = TestJvm.java(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), JulGracefulWorkerMain.class.getName(), url, workerId));
    Process worker = GracefulWorker.start(command, Path.of("."));

    worker.destroy();   // SIGTERM
    assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
  }

  private String messages(String workerId) throws Exception {
    return TestDatabase.single(url, "SELECT string_agg(message, ' | ' ORDER BY seq, id) FROM system_logs "
        + "WHERE source_id = '" + workerId + "'");
  }
}
