package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The queries the command line and the server share, on a store filled through the function. */
class StoreQueriesTest {

  private static Store store;

  @BeforeAll
  static void fill() {
    store = TestDatabase.freshStore();
    heartbeat("gpu-1", "t-1", 24000, """
        [{"timestamp": "2026-11-27T10:00:00Z", "level": "INFO", "message": "claimed t-1", "task_id": "t-1", "seq": 1,
          "metadata": {"logger": "worker.Queue"}},
         {"timestamp": "2026-11-27T10:00:01Z", "level": "DEBUG", "message": "tensor shapes", "task_id": "t-1", "seq": 2,
          "metadata": {"component": "GENERATOR", "logger": "diffusers.models"}},
         {"timestamp": "2026-11-27T10:00:02Z", "level": "ERROR", "message": "CUDA out of memory", "task_id": "t-1", "seq": 3,
          "metadata": {"exception": "torch.OutOfMemoryError: CUDA out of memory", "logger": "diffusers.pipelines.wan"}}]""");
    heartbeat("gpu-2", "t-2", 1000, """
        [{"timestamp": "2026-11-27T10:00:00.5Z", "level": "WARNING", "message": "slow disk", "task_id": "t-2", "seq": 1,
          "metadata": {"logger": "diffusersx"}},
         {"timestamp": "2026-11-27T10:00:03Z", "level": "INFO", "message": "finished t-2", "task_id": "t-2", "seq": 2}]""");
    store.withConnection(c -> c.createStatement().execute(
        "INSERT INTO workers (id, status, last_heartbeat) VALUES ('gpu-3', 'active', now() - interval '10 minutes')"));
  }

  private static void heartbeat(String worker, String task, int vramUsed, String logs) {
    store.withConnection(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT func_worker_heartbeat_with_logs(?, 81559, ?, ?::jsonb, ?)")) {
        s.setString(1, worker);
        s.setInt(2, vramUsed);
        s.setString(3, logs);
        s.setString(4, task);
        return s.execute();
      }
    });
  }

  private static List<String> messages(LogFilter filter) {
    return store.logs(filter).stream().map(StoredRecord::message).toList();
  }

  @Test
  void logsAreReturnedOldestFirstAcrossWorkers() {
    assertThat(messages(LogFilter.all()))
        .containsExactly("claimed t-1", "slow disk", "tensor shapes", "CUDA out of memory", "finished t-2");
  }

  @Test
  void eachFilterNarrowsTheResult() {
    assertThat(messages(new LogFilter("gpu-2", null, null, null, null, null, 100)))
        .containsExactly("slow disk", "finished t-2");
    assertThat(messages(new LogFilter(null, "t-1", "WARNING", null, null, null, 100)))
        .containsExactly("CUDA out of memory");
    assertThat(messages(new LogFilter(null, null, null,
            Instant.parse("2026-11-27T10:00:01Z"), Instant.parse("2026-11-27T10:00:03Z"), null, 100)))
        .containsExactly("tensor shapes", "CUDA out of memory");
    assertThat(messages(new LogFilter(null, null, null, null, null, "cuda", 100)))
        .containsExactly("CUDA out of memory");
  }

  @Test
  void aComponentFilterTakesTheComponentElseTheLoggerAndTheNamesBelowIt() {
    assertThat(messages(new LogFilter(null, null, null, null, null, null, "diffusers", 100)))
        .as("diffusers.pipelines.wan, not diffusersx nor a record whose component is GENERATOR")
        .containsExactly("CUDA out of memory");
    assertThat(messages(new LogFilter(null, null, null, null, null, null, "generator", 100))).containsExactly("tensor shapes");
    assertThat(messages(new LogFilter(null, null, null, null, null, null, "Worker.queue", 100))).containsExactly("claimed t-1");
    assertThat(messages(new LogFilter(null, null, null, null, null, null, "worker.Queue.x", 100))).isEmpty();
    assertThat(messages(new LogFilter(null, null, null, null, null, null, "d%", 100))).as("no pattern").isEmpty();
    assertThat(store.logsAfter(0, Long.MAX_VALUE, new LogFilter("gpu-1", null, null, null, null, null, "diffusers", 100)))
        .extracting(StoredRecord::message).containsExactly("CUDA out of memory");

    LogFilter diffusers = new LogFilter(null, null, null, null, null, null, "diffusers", 1);
    assertThat(store.recordsForFollowers(0, Long.MAX_VALUE, List.of(), List.of(diffusers), 100))
        .as("what a follower of the component reads").hasSize(5)
        .filteredOn(followed -> followed.record() != null).extracting(followed -> followed.record().message())
        .containsExactly("CUDA out of memory");
    assertThat(List.of("diffusers", "DIFFUSERS.pipelines", "diffusers.pipelines.wan"))
        .allSatisfy(name -> assertThat(diffusers.coversComponent(name)).as(name).isTrue());
    assertThat(java.util.Arrays.asList("diffusersx", "diff", null))
        .allSatisfy(name -> assertThat(diffusers.coversComponent(name)).as(String.valueOf(name)).isFalse());
    assertThat(LogFilter.all().coversComponent(null)).isTrue();
  }

  @Test
  void eachRecordKeepsItsSequenceNumberWithOrWithoutASession() {
    assertThat(store.logs(new LogFilter("gpu-1", null, null, null, null, null, 100)))
        .extracting(StoredRecord::sessionId, StoredRecord::sequence)
        .containsExactly(tuple(null, 1L), tuple(null, 2L), tuple(null, 3L));
  }

  @Test
  void theLimitKeepsTheNewest() {
    assertThat(messages(new LogFilter(null, null, null, null, null, null, 2)))
        .containsExactly("CUDA out of memory", "finished t-2");
  }

  @Test
  void followReadsWhatWasStoredAfterAnId() {
    long last = store.lastLogId();
    List<StoredRecord> all = store.logs(LogFilter.all());
    long firstId = all.stream().mapToLong(StoredRecord::id).min().orElseThrow();

    assertThat(store.logsAfter(last, Long.MAX_VALUE, LogFilter.all())).isEmpty();
    assertThat(store.logsAfter(firstId, Long.MAX_VALUE, LogFilter.all())).hasSize(4);
    List<StoredRecord> afterFirst = store.logs(LogFilter.all()).stream().filter(record -> record.id() > firstId)
        .sorted(java.util.Comparator.comparingLong(StoredRecord::id)).toList();
    assertThat(store.logsAfter(firstId, afterFirst.get(2).id(), new LogFilter(null, null, null, null, null, null, 2)))
        .as("the newest two up to the third after the first, in storing order")
        .containsExactly(afterFirst.get(1), afterFirst.get(2));
  }

  @Test
  void aTaskTimelineHasItsRecordsWorkerVramAndFailure() {
    TaskTimeline task = store.task("t-1");

    assertThat(task.records()).extracting(StoredRecord::message)
        .containsExactly("claimed t-1", "tensor shapes", "CUDA out of memory");
    assertThat(task.workers()).singleElement().satisfies(w -> {
      assertThat(w.id()).isEqualTo("gpu-1");
      assertThat(w.records()).isEqualTo(3);
      assertThat(w.failed()).isTrue();
    });
    assertThat(task.heartbeats()).extracting(HeartbeatPoint::vramUsedMb).containsExactly(24000);
    assertThat(task.failure()).hasValueSatisfying(r -> assertThat(r.exception()).contains("OutOfMemoryError"));
    assertThat(store.task("no-such-task").isEmpty()).isTrue();
  }

  @Test
  void aTasksWorkerSharesCountedFromItsRecordsAreWhatTheStoreCounts() {
    Store own = TestDatabase.freshStore();  // the other tests share the class's store
    own.withConnection(c -> c.createStatement().execute("""
        SELECT func_worker_heartbeat_with_logs('gpu-' || w, NULL, NULL, jsonb_agg(jsonb_build_object(
                   'timestamp', timestamptz '2026-11-27 10:00:00Z' + ((g * 37 + w * 11) % 90) * interval '1 second'
                                - w * interval '100 milliseconds',
                   'level', (ARRAY['INFO', 'ERROR', 'WARNING', 'CRITICAL', 'DEBUG'])[1 + (g * w) % 5],
                   'message', 'record ' || g, 'task_id', 'shared')), 'shared')
        FROM generate_series(1, 3) w, generate_series(1, 40) g
        GROUP BY w"""));

    TaskTimeline task = own.task("shared");

    assertThat(task.records()).hasSize(120);
    assertThat(task.workers()).hasSize(3)
        .allSatisfy(share -> assertThat(share.errors()).isPositive())
        .isEqualTo(own.taskWorkers("shared"));
    assertThat(task.workers()).allSatisfy(share -> assertThat(share.failedAt()).as("its last error's time")
        .isEqualTo(task.records().stream().filter(r -> r.workerId().equals(share.id()) && r.isError())
            .map(StoredRecord::timestamp).max(java.util.Comparator.naturalOrder()).orElseThrow())
        .isBefore(share.lastAt()));
  }

  @Test
  void aWorkersHeartbeatsPastTheLimitAreThePeakOfEachSpanOfTheRangeOldestFirst() {
    store.withConnection(c -> c.createStatement().execute("""
        INSERT INTO worker_heartbeats (worker_id, received_at, status, vram_used_mb, records, logs_inserted)
        SELECT 'beating', now() - (10 - g) * interval '1 minute', 'active',
               (ARRAY[3000, 9000, 1000, 2000, 8000, 4000, 7000, 5000, 6000])[g], 0, 0
        FROM generate_series(1, 9) g"""));

    List<HeartbeatPoint> thinned = store.heartbeats("beating", Instant.now().minus(Duration.ofHours(1)), 3);
    List<HeartbeatPoint> all = store.heartbeats("beating", Instant.now().minus(Duration.ofHours(1)), 100);
    List<HeartbeatPoint> recent = store.heartbeats("beating", Instant.now().minus(Duration.ofSeconds(150)), 100);

    assertThat(thinned).as("spans of 3 over the whole hour, not its newest 3")
        .extracting(HeartbeatPoint::vramUsedMb).containsExactly(9000, 8000, 7000);
    assertThat(thinned).extracting(HeartbeatPoint::receivedAt)
        .containsExactly(all.get(1).receivedAt(), all.get(4).receivedAt(), all.get(6).receivedAt());
    assertThat(all).extracting(HeartbeatPoint::vramUsedMb).hasSize(9).startsWith(3000, 9000).endsWith(6000);
    assertThat(recent).extracting(HeartbeatPoint::vramUsedMb).containsExactly(5000, 6000);
  }

  @Test
  void fleetHealthShowsStaleWorkersAndProblemCounts() {
    List<WorkerHealth> workers = store.workers(Duration.ofSeconds(60));

    assertThat(workers).extracting(WorkerHealth::id, WorkerHealth::health)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("gpu-1", "active"),
            org.assertj.core.groups.Tuple.tuple("gpu-2", "active"),
            org.assertj.core.groups.Tuple.tuple("gpu-3", "stale"));
    assertThat(workers.get(0).vramUsedMb()).isEqualTo(24000);
    assertThat(store.worker("gpu-3", 50, 10).orElseThrow().health().health()).isEqualTo("stale");
  }

  @Test
  void aWorkerHasItsRecentTasksAndRecords() {
    WorkerDetail worker = store.worker("gpu-2", 50, 10).orElseThrow();

    assertThat(worker.health().health()).isEqualTo("active");
    assertThat(worker.recentTasks()).extracting(TaskSummary::id).containsExactly("t-2");
    assertThat(worker.records()).extracting(StoredRecord::message).containsExactly("slow disk", "finished t-2");
    assertThat(store.worker("nobody", 50, 10)).isEmpty();
  }

  @Test
  void aWorkerSaysWhyItsLastHeartbeatHadNoGpuFigures() {
    Store own = TestDatabase.freshStore();  // the other tests share the class's store
    String beat = "SELECT func_worker_heartbeat_with_logs('%s', %s, %s, '[]'::jsonb, NULL, 'active', 's-%1$s', %s, %s)";
    // Each in its own transaction, so that each is received at its own time.
    own.withConnection(c -> c.createStatement().execute(
        beat.formatted("no-smi", "NULL", "NULL", 1, "'{\"gpu_problem\": \"nvidia-smi not found\"}'")));
    own.withConnection(c -> c.createStatement().execute(
        beat.formatted("recovered", "NULL", "NULL", 1, "'{\"gpu_problem\": \"Failed to initialize NVML: Unknown Error\"}'")));
    own.withConnection(c -> c.createStatement().execute(
        beat.formatted("recovered", "143771", "527", 2, "'{\"gpus_counted\": [0]}'")));
    own.withConnection(c -> c.createStatement().execute(
        beat.formatted("chatty", "NULL", "NULL", 1, "jsonb_build_object('gpu_problem', repeat('x', 600))")));

    WorkerDetail noSmi = own.worker("no-smi", 10, 10).orElseThrow();

    assertThat(noSmi.health().gpuProblem()).isEqualTo("nvidia-smi not found");
    assertThat(StoreJson.worker(noSmi)).contains("\"gpu_problem\":\"nvidia-smi not found\"");
    assertThat(own.workers(Store.DEFAULT_STALE_AFTER)).extracting(WorkerHealth::id, WorkerHealth::gpuProblem)
        .contains(tuple("no-smi", "nvidia-smi not found"), tuple("recovered", null));
    assertThat(own.worker("recovered", 10, 10).orElseThrow().health().gpuProblem()).as("its last heartbeat read the GPU").isNull();
    assertThat(own.worker("chatty", 10, 10).orElseThrow().health().gpuProblem()).hasSize(500);
    assertThat(store.worker("gpu-2", 50, 10).orElseThrow().health().gpuProblem()).as("the seed's heartbeat").isNull();
    // A worker whose row the orchestrator removed is shown from its heartbeats, reason and all.
    own.withConnection(c -> c.createStatement().execute("DELETE FROM workers WHERE id = 'no-smi'"));
    assertThat(own.worker("no-smi", 10, 10).orElseThrow().health().gpuProblem()).isEqualTo("nvidia-smi not found");
  }

  @Test
  void oneWorkersHealthMatchesItsRowInTheFleetView() {
    Store own = TestDatabase.freshStore();  // the other tests share the class's store
    own.withConnection(c -> c.createStatement().execute(
        "SELECT func_worker_heartbeat_with_logs('gpu-9', NULL, NULL, jsonb_build_array("
            + "jsonb_build_object('timestamp', now(), 'level', 'ERROR', 'message', 'recent failure'),"
            + "jsonb_build_object('timestamp', now(), 'level', 'WARNING', 'message', 'recent warning'),"
            + "jsonb_build_object('timestamp', now(), 'level', 'WARNING', 'message', 'another warning')), NULL)"));

    WorkerHealth alone = own.worker("gpu-9", 10, 10).orElseThrow().health();

    assertThat(alone.errorsLastHour()).isEqualTo(1);
    assertThat(alone.warningsLastHour()).isEqualTo(2);
    assertThat(own.workers(Store.DEFAULT_STALE_AFTER)).contains(alone);
  }

  @Test
  void aWorkerWhoseRowTheOrchestratorRemovedStillHasItsPageWithItsHealthUnknown() {
    Store own = TestDatabase.freshStore();
    own.withConnection(c -> c.createStatement().execute("""
        SELECT func_worker_heartbeat_with_logs('gpu-gone', 81559, 20000, '[]'::jsonb, 't-8');
        UPDATE worker_heartbeats SET received_at = received_at - interval '1 minute' WHERE worker_id = 'gpu-gone';
        SELECT func_worker_heartbeat_with_logs('gpu-gone', 81559, 30000, jsonb_build_array(
            jsonb_build_object('timestamp', now(), 'level', 'ERROR', 'message', 'CUDA error: device lost', 'task_id', 't-9'),
            jsonb_build_object('timestamp', now(), 'level', 'WARNING', 'message', 'ECC errors', 'task_id', 't-9')), 't-9');
        SELECT func_worker_heartbeat_with_logs('records-only', NULL, NULL, jsonb_build_array(
            jsonb_build_object('timestamp', now(), 'level', 'INFO', 'message', 'hello')), NULL);
        -- An instance scaled away: the orchestrator deletes its row; its records and heartbeats stay.
        DELETE FROM workers WHERE id IN ('gpu-gone', 'records-only');
        DELETE FROM worker_heartbeats WHERE worker_id = 'records-only';
        """));

    WorkerDetail gone = own.worker("gpu-gone", 10, 10).orElseThrow();
    WorkerHealth recordsOnly = own.worker("records-only", 10, 10).orElseThrow().health();

    assertThat(gone.health()).satisfies(h -> {
      assertThat(h.health()).isEqualTo("unknown");
      assertThat(h.lastHeartbeat()).isNotNull();
      assertThat(h.vramUsedMb()).isEqualTo(30000);
      assertThat(h.currentTaskId()).isEqualTo("t-9");
      assertThat(h.errorsLastHour()).isEqualTo(1);
      assertThat(h.warningsLastHour()).isEqualTo(1);
    });
    assertThat(gone.recentTasks()).extracting(TaskSummary::id).containsExactly("t-9");
    assertThat(gone.records()).extracting(StoredRecord::message).containsExactly("CUDA error: device lost", "ECC errors");
    assertThat(recordsOnly.health()).isEqualTo("unknown");
    assertThat(recordsOnly.lastHeartbeat()).isNull();
    assertThat(own.workers(Store.DEFAULT_STALE_AFTER)).as("the fleet is the workers' rows").isEmpty();
    assertThat(own.worker("never-seen", 10, 10)).isEmpty();
  }

  @Test
  void maintenanceReportsWhatItDid() {
    assertThat(store.maintain(Store.DEFAULT_RETENTION, 5).summary()).contains("\"partitions_created\": 2");
  }

  @Test
  void aReadersMinimumLevelIsReadInTheVocabulariesTheAgentsStoreFrom() {
    assertThat(LogFilter.minimumLevel(" severe ")).isEqualTo("ERROR");
    assertThat(LogFilter.minimumLevel("Fatal")).isEqualTo("CRITICAL");
    assertThat(LogFilter.minimumLevel("warn")).isEqualTo("WARNING");
    assertThat(LogFilter.minimumLevel("trace")).isEqualTo("DEBUG");
    assertThat(LogFilter.minimumLevel("  ")).as("none given").isNull();
    assertThat(messages(new LogFilter("gpu-1", null, LogFilter.minimumLevel("severe"), null, null, null, 10)))
        .containsExactly("CUDA out of memory");
  }

  @Test
  void badInputGetsOneClearSentence() {
    assertThatThrownBy(() -> new LogFilter(null, null, "LOUD", null, null, null, 10))
        .hasMessage("unknown level 'LOUD'; use one of DEBUG, INFO, WARNING, ERROR, CRITICAL");
    assertThatThrownBy(() -> LogFilter.minimumLevel(" LOUD "))
        .hasMessage("unknown level 'LOUD'; use one of DEBUG, INFO, WARNING, ERROR, CRITICAL (or WARN, SEVERE, FATAL, TRACE)");
    assertThatThrownBy(() -> Store.open("postgres://x", null, null))
        .hasMessageStartingWith("the database URL must start with jdbc:postgresql://");
    assertThatThrownBy(() -> Store.open("jdbc:postgresql://127.0.0.1:9/x?user=u&password=secret", null, null))
        .hasMessageStartingWith("cannot reach the database at jdbc:postgresql://127.0.0.1:9/x?user=u&password=***")
        .hasMessageNotContaining("secret");
  }

  @Test
  void namedParametersLeaveCastsAlone() {
    NamedSql sql = NamedSql.parse("t", "SELECT :a::text, x::int FROM t WHERE b = :b -- :ignored\n AND c = :a");

    assertThat(sql.jdbcSql()).contains("SELECT ?::text, x::int FROM t WHERE b = ?").contains("AND c = ?");
    assertThat(sql.parameterOrder()).containsExactly("a", "b", "a");
  }
}
