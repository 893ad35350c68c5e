package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two replicas given one worker id, each an agent session of its own, and a worker restarted:
 * fleet health and the worker's own view say which id several processes share, and only that one.
 */
@Timeout(60)
class SharedWorkerIdCommandTest {

  @Test
  void workersAndWorkerSayWhichIdSeveralProcessesShare() {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    store.withConnection(c -> c.createStatement().execute("""
        SELECT func_worker_heartbeat_with_logs(worker_id_param => b.worker, session_id_param => b.session)
        FROM (VALUES (1, 'gpu-7', 'replica-a'), (2, 'gpu-7', 'replica-b'), (3, 'gpu-7', 'replica-a'),
                     (4, 'gpu-8', 'first-run'), (5, 'gpu-8', 'second-run'), (6, 'gpu-8', 'second-run')) AS b(n, worker, session)
        ORDER BY b.n
        """));

    Cli.Result workers = Cli.run("workers", "--db-url", url);
    Cli.Result shared = Cli.run("worker", "gpu-7", "--db-url", url);
    Cli.Result restarted = Cli.run("worker", "gpu-8", "--db-url", url);

    assertThat(workers.exitCode()).as(workers.err()).isZero();
    assertThat(workers.out())
        .contains("1 worker id is sent by several processes at once (give each process its own worker id; its status, "
            + "task and VRAM are whichever sent last):\n  gpu-7                    last seen shared ")
        .doesNotContainPattern("\\n  gpu-8 +last seen shared");
    assertThat(shared.out()).contains("  shared id       several processes send heartbeats as this worker at once");
    assertThat(restarted.exitCode()).as(restarted.err()).isZero();
    assertThat(restarted.out()).doesNotContain("shared id");
    assertThat(Cli.run("workers", "--json", "--db-url", url).out()).containsOnlyOnce("\"shared_id_at\":");
  }
}
