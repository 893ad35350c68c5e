package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code heartlog workers} adds up the GPU memory of the running workers below its list. */
@Timeout(60)
class FleetGpuMemoryTest {

  @Test
  void theRunningWorkersMemoryIsAddedUpAndAStoppedWorkersLastFigureIsNot() {
    String url = TestDatabase.migratedUrl();
    Store.open(url, null, null).withConnection(c -> c.createStatement().execute("""
        SELECT func_worker_heartbeat_with_logs('gpu-a', 81559, 23017);
        SELECT func_worker_heartbeat_with_logs('gpu-b', 81559, 41000);
        SELECT func_worker_heartbeat_with_logs('gpu-c', 81559, 80000, status_param => 'stopped');
        SELECT func_worker_heartbeat_with_logs('cpu-d')"""));

    Cli.Result all = Cli.run("workers", "--db-url", url);
    Cli.Result stopped = Cli.run("workers", "--health", "stopped", "--db-url", url);

    assertThat(all.exitCode()).as(all.err()).isZero();
    assertThat(all.out().strip().lines().toList()).endsWith(
        "4 workers: 3 active, 1 stopped",
        "GPU memory of the 2 running workers: 64,017 of 163,118 MiB used (39%)");
    assertThat(stopped.out()).as("a stopped worker holds none now, whatever it reported").doesNotContain("GPU memory");
  }
}
