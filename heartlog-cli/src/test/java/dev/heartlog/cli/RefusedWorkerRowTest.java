package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An orchestrator's {@code workers} that refuses some heartbeats' rows: a worker it never
 * registered (a column it requires), and a status its enum does not list. Fleet health lists both,
 * with why; the worker's own view says it too.
 */
@Timeout(60)
class RefusedWorkerRowTest {

  @Test
  void workersListsAWorkerTheOrchestratorNeverRegisteredAndSaysWhyTheRowsWereRefused() {
    String url = TestDatabase.freshUrl();
    Store store = Store.open(url, null, null);
    store.withConnection(c -> c.createStatement().execute("""
        CREATE TYPE worker_status AS ENUM ('spawning', 'active', 'crashed');
        CREATE TABLE workers (id text PRIMARY KEY, status worker_status NOT NULL DEFAULT 'spawning',
                              instance_type text NOT NULL, last_heartbeat timestamptz, vram_total_mb int,
                              vram_used_mb int, current_task_id text);
        INSERT INTO workers (id, instance_type) VALUES ('gpu-1', 'H100');
        """));
    store.migrate();
    store.withConnection(c -> c.createStatement().execute("""
        SELECT func_worker_heartbeat_with_logs(w.id, NULL, NULL, jsonb_build_array(jsonb_build_object(
                   'timestamp', now(), 'level', 'ERROR', 'message', 'CUDA not available')), NULL, w.status)
        FROM (VALUES ('dev-laptop', 'active'), ('gpu-1', 'stopped')) AS w(id, status);
        """));

    Cli.Result workers = Cli.run("workers", "--db-url", url);
    Cli.Result laptop = Cli.run("worker", "dev-laptop", "--db-url", url);

    assertThat(workers.exitCode()).as(workers.err()).isZero();
    assertThat(workers.out())
        .containsPattern("dev-laptop\\s+active .* 1\\s+0\\n")
        .containsPattern("gpu-1\\s+stopped .* 1\\s+0\\n")
        .contains("2 workers' rows in workers were refused by the orchestrator's table; their records are stored:")
        .contains("\n  dev-laptop               null value in column \"instance_type\" of relation \"workers\" "
            + "violates not-null constraint\n")
        .contains("\n  gpu-1                    invalid input value for enum worker_status: \"stopped\"\n");
    assertThat(laptop.exitCode()).as(laptop.err()).isZero();
    assertThat(laptop.out()).startsWith("Worker dev-laptop  active\n")
        .contains("workers row     refused by the orchestrator's table, its records stored: null value in column")
        .contains("CUDA not available");
    assertThat(Cli.run("workers", "--json", "--db-url", url).out())
        .contains("\"worker_row_error\":\"invalid input value for enum worker_status: \\\"stopped\\\"\"");
  }
}
