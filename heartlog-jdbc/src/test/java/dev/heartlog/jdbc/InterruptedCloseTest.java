package dev.heartlog.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.TestDatabase;
import dev.heartlog.store.TestJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code close()} on a thread that was interrupted, as a worker's main thread is when its
 * framework cancels it or a shutdown hook of its own interrupts it: the final heartbeat is still
 * waited for, as long as the shutdown timeout, and the thread stays interrupted. Before, the wait
 * ended at once, the JVM exited with the heartbeat thread, and the last records were lost.
 */
@Timeout(120)
class InterruptedCloseTest {

  private final String url = TestDatabase.migratedUrl();

  @Test
  void closingOnAnInterruptedThreadStillDeliversTheLastRecordsAndKeepsTheInterrupt() throws Exception {
    Process worker = new ProcessBuilder(TestJvm.main(InterruptedCloseWorkerMain.class, url, "interrupted-close"))
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = output(worker);

    assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).contains("interrupted after close: true");
    assertThat(TestDatabase.single(url, "SELECT string_agg(message, ' | ' ORDER BY seq, id) FROM system_logs "
        + "WHERE source_id = 'interrupted-close'"))
        .isEqualTo("task claimed | cancelled: the orchestrator took the task back");
    assertThat(TestDatabase.single(url, "SELECT status FROM workers WHERE id = 'interrupted-close'")).isEqualTo("stopped");
  }

  private static String output(Process worker) throws IOException {
    return new String(worker.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
