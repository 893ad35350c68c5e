package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Instant;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * One worker id sent by several processes at once (a Deployment's replicas given the same
 * HEARTLOG_WORKER_ID): their heartbeats take turns at the worker's row, and fleet health says so.
 * Each process is an agent session of its own.
 */
class SharedWorkerIdTest {

  private final String url = TestDatabase.migratedUrl();
  private final Store store = Store.open(url, null, null);

  private void heartbeat(String worker, String session, String status) throws SQLException {
    TestDatabase.execute(url, "SELECT func_worker_heartbeat_with_logs(worker_id_param => '" + worker + "', "
        + "status_param => '" + status + "', session_id_param => '" + session + "')");
  }

  private WorkerHealth health(String worker) {
    return store.workerHealth(worker).orElseThrow();
  }

  @Test
  void twoProcessesTakingTurnsAtOneIdAreSaidToShareIt() throws SQLException {
    Instant before = Instant.now().minusSeconds(1);
    heartbeat("gpu-7", "replica-a", "active");
    heartbeat("gpu-7", "replica-b", "active");
    assertThat(health("gpu-7").sharedIdAt()).as("a new session alone could be a restart").isNull();

    heartbeat("gpu-7", "replica-a", "active");

    assertThat(health("gpu-7").sharedIdAt()).as("the first is still sending").isAfter(before);
    assertThat(store.workers(Store.DEFAULT_STALE_AFTER)).singleElement()
        .satisfies(w -> assertThat(w.sharedIdAt()).isEqualTo(health("gpu-7").sharedIdAt()));
    assertThat(StoreJson.workers(store.workers(Store.DEFAULT_STALE_AFTER))).contains("\"shared_id_at\":");
  }

  @Test
  void restartsAndWorkersWithoutSessionsAreNot() throws SQLException {
    heartbeat("restarted", "first-run", "active");
    heartbeat("restarted", "first-run", "stopped");
    heartbeat("restarted", "second-run", "active");
    heartbeat("restarted", "second-run", "active");
    heartbeat("killed", "first-run", "active");     // then SIGKILL: no last heartbeat
    heartbeat("killed", "second-run", "active");
    heartbeat("killed", "second-run", "active");
    TestDatabase.execute(url, "SELECT func_worker_heartbeat_with_logs('seed-worker', NULL, NULL, '[]'::jsonb, NULL)");
    TestDatabase.execute(url, "SELECT func_worker_heartbeat_with_logs('seed-worker', NULL, NULL, '[]'::jsonb, NULL)");

    assertThat(store.workers(Store.DEFAULT_STALE_AFTER)).extracting(WorkerHealth::id, WorkerHealth::sharedIdAt)
        .containsExactlyInAnyOrder(
            Tuple.tuple("restarted", null),
            Tuple.tuple("killed", null),
            Tuple.tuple("seed-worker", null));
    assertThat(StoreJson.workers(store.workers(Store.DEFAULT_STALE_AFTER))).doesNotContain("shared_id_at");
  }
}
