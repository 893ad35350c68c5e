package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class AgentSpoolTest {

  @TempDir Path spoolFolder;

  private HeartlogAgentBuilder agent(RecordingTransport store) {
    return AgentTestSupport.agent(store)
        .spoolDirectory(spoolFolder)
        .heartbeatInterval(Duration.ofMillis(50))
        .maxRetryDelay(Duration.ofMillis(100));
  }

  /**
   * Logs "record from" to "record to - 1", waiting after every 10 for memory (50 records) to
   * empty into the spool; then all of them are in the spool, and none was dropped.
   */
  private static void logIntoTheSpool(HeartlogAgent agent, int from, int to) {
    for (int i = from; i < to; i++) {
      agent.log(Level.INFO, "record " + i);
      if (i % 10 == 9) {
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.stats().currentBufferSize() < 40);
      }
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> agent.stats().currentBufferSize() == 0);
    assertThat(agent.stats().totalDropped()).isZero();
  }

  @Test
  void duringAnOutageBatchesMoveToTheSpoolAndMemoryStaysFree() {
    RecordingTransport store = new RecordingTransport();
    store.down.set(true);
    try (HeartlogAgent agent = agent(store).bufferSize(10).maxBuffered(50, Long.MAX_VALUE).build()) {
      logIntoTheSpool(agent, 0, 500);
      assertThat(agent.stats().spooledBatches()).isPositive();

      store.down.set(false);
      assertThat(agent.flush(Duration.ofSeconds(20))).isTrue();
      assertThat(agent.stats().spooledBatches()).isZero();
    }

    assertThat(store.storedMessages()).hasSize(500).doesNotHaveDuplicates().startsWith("record 0").endsWith("record 499");
  }

  @Test
  void aWorkerStoppedDuringAnOutageSaysWhatStaysInTheSpoolAndTheNextStartReplaysIt() {
    RecordingTransport store = new RecordingTransport();
    store.down.set(true);
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    try (HeartlogAgent agent = agent(store).shutdownTimeout(Duration.ofMillis(300))
        .diagnostics(new PrintStream(first, true, StandardCharsets.UTF_8)).build()) {
      agent.log(Level.ERROR, "render failed");
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.stats().spooledBatches() == 1);
    }
    ByteArrayOutputStream second = new ByteArrayOutputStream();
    store.down.set(false);
    try (HeartlogAgent agent = agent(store).diagnostics(new PrintStream(second, true, StandardCharsets.UTF_8)).build()) {
      assertThat(agent.flush(Duration.ofSeconds(10))).isTrue();
    }

    assertThat(first.toString(StandardCharsets.UTF_8))
        .contains("heartlog: 1 batch stays in the spool for the next start of worker test-worker");
    assertThat(second.toString(StandardCharsets.UTF_8)).contains(" holds 1 batch from an earlier run; replaying it first");
    assertThat(store.storedMessages()).containsExactly("render failed");
  }

  /** Before, the failure said "0 records kept" while the batch lay safe in the spool. */
  @Test
  void aFailedHeartbeatSaysTheBatchesTheSpoolKeepsBesideTheRecordsInMemory() {
    RecordingTransport store = new RecordingTransport();
    store.down.set(true);
    try (HeartlogAgent agent = agent(store).shutdownTimeout(Duration.ofMillis(300)).build()) {
      agent.log(Level.ERROR, "render failed");
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.stats().spooledBatches() == 1);
    }
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    try (HeartlogAgent agent = agent(store).shutdownTimeout(Duration.ofMillis(300))
        .diagnostics(new PrintStream(said, true, StandardCharsets.UTF_8)).build()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> said.toString(StandardCharsets.UTF_8).contains("failed ("));
    }

    assertThat(said.toString(StandardCharsets.UTF_8))
        .containsPattern("heartlog: heartbeat for worker test-worker failed \\(.*\\); kept: 0 records in memory, "
            + "1 batch in the spool; retrying");
  }

  @Test
  void whileACallWaitsOnTheStoreRecordsGoOnIntoTheSpoolAndMemoryStaysFree() throws Exception {
    // A store that holds the call carrying records, as a lock or a network dropping packets
    // does: the loop that made the call used to cut nothing into the spool meanwhile.
    HeldStore heldStore = new HeldStore(worker -> true);
    RecordingTransport store = heldStore.store;
    try (HeartlogAgent agent = agent(store).transport(heldStore).bufferSize(10).maxBuffered(50, Long.MAX_VALUE).build()) {
      agent.log(Level.INFO, "record 0");
      agent.flush(Duration.ofMillis(1));
      assertThat(heldStore.awaitHeld(Duration.ofSeconds(10))).isTrue();
      logIntoTheSpool(agent, 1, 500);
      assertThat(agent.stats().spooledBatches()).isGreaterThan(1);

      heldStore.release();
      assertThat(agent.flush(Duration.ofSeconds(20))).isTrue();
    }

    assertThat(store.storedMessages()).hasSize(500).doesNotHaveDuplicates().startsWith("record 0").endsWith("record 499");
  }

  @Test
  void onASharedSchedulerRecordsGoOnIntoTheSpoolsWhileCallsWaitOnTheStore() throws Exception {
    // Three agents on two threads, and a store that holds every call carrying records: with a
    // thread waiting in each call, no round was left to cut records, and memory overflowed.
    HeldStore heldStore = new HeldStore(worker -> true);
    RecordingTransport store = heldStore.store;
    List<HeartlogAgent> agents = new ArrayList<>();
    try (HeartbeatScheduler scheduler = HeartbeatScheduler.create(2)) {
      for (int i = 0; i < 3; i++) {
        agents.add(agent(store).workerId("worker-" + i).spoolDirectory(spoolFolder.resolve("worker-" + i))
            .transport(heldStore).scheduler(scheduler).bufferSize(10).maxBuffered(50, Long.MAX_VALUE).build());
      }
      for (HeartlogAgent agent : agents) {
        agent.log(Level.INFO, "record 0");
        agent.flush(Duration.ofMillis(1));
      }
      // One call waits on the store; the other two heartbeats wait in line, holding no thread.
      await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.heartbeatsWaitingForACall() == 2);
      assertThat(heldStore.heldCalls).hasValue(1);

      for (HeartlogAgent agent : agents) {
        logIntoTheSpool(agent, 1, 500); // the agent whose call waits too
      }
      heldStore.release();
      for (HeartlogAgent agent : agents) {
        assertThat(agent.flush(Duration.ofSeconds(20))).isTrue();
        agent.close();
      }
    }

    for (int i = 0; i < 3; i++) {
      String worker = "worker-" + i;
      List<String> stored = store.acknowledged.stream()
          .filter(heartbeat -> heartbeat.workerId().equals(worker))
          .flatMap(heartbeat -> heartbeat.records().stream())
          .map(LogRecord::message)
          .toList();
      assertThat(stored).as(worker).hasSize(500).doesNotHaveDuplicates().startsWith("record 0").endsWith("record 499");
    }
  }

  @Test
  void theNextAgentOfTheSameWorkerReplaysTheSpoolBeforeItsOwnRecords() {
    RecordingTransport deadStore = new RecordingTransport();
    deadStore.down.set(true);
    HeartlogAgent first = agent(deadStore).bufferSize(5).build();
    String firstSession = first.sessionId();
    for (int i = 0; i < 20; i++) {
      first.log(Level.INFO, "first run " + i);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> first.stats().currentBufferSize() == 0);
    first.shutdown(WorkerStatus.STOPPED, Duration.ofMillis(500));

    RecordingTransport store = new RecordingTransport();
    AgentStats stats;
    try (HeartlogAgent second = agent(store).build()) {
      second.log(Level.INFO, "second run");
      await().atMost(Duration.ofSeconds(20)).until(() -> store.storedMessages().contains("second run"));
      stats = second.stats();
    }

    assertThat(store.storedMessages()).hasSize(21).first().isEqualTo("first run 0");
    assertThat(stats.totalSent()).isEqualTo(21);
    assertThat(stats.totalSentFromEarlierRuns()).as("the first run's, from the spool").isEqualTo(20);
    assertThat(store.acknowledged.get(store.acknowledged.size() - 1).metadata())
        .as("the closing heartbeat's").containsEntry("total_sent_from_earlier_runs", 20L);
    assertThat(store.acknowledged.get(0).metadata()).as("before any was sent").doesNotContainKey("total_sent_from_earlier_runs");
    assertThat(store.storedMessages()).last().isEqualTo("second run");
    assertThat(store.acknowledged.stream().filter(h -> !h.records().isEmpty()).findFirst().orElseThrow().sessionId())
        .isEqualTo(firstSession);
  }

  @Test
  void whenTheSpoolRefusesBatchesTheyStillGoThroughMemoryInOrder() {
    RecordingTransport store = new RecordingTransport();
    try (HeartlogAgent agent = agent(store).spoolMaxBytes(10).bufferSize(10).build()) {
      for (int i = 0; i < 100; i++) {
        agent.log(Level.INFO, "record " + i);
      }
      assertThat(agent.flush(Duration.ofSeconds(20))).isTrue();
    }

    assertThat(store.storedMessages()).hasSize(100).startsWith("record 0").endsWith("record 99");
    assertThat(store.acknowledged.stream().filter(h -> h.batchSequence() != null).map(Heartbeat::batchSequence))
        .isSorted().doesNotHaveDuplicates();
  }

  @Test
  void aRejectedBatchIsDroppedWithAReportAndDoesNotBlockTheRest() {
    RecordingTransport store = new RecordingTransport();
    store.poison = "poison";
    try (HeartlogAgent agent = agent(store).build()) {
      agent.log(Level.INFO, "poison");
      agent.flush(Duration.ofSeconds(10));
      agent.log(Level.INFO, "after");
      agent.flush(Duration.ofSeconds(10));
      await().atMost(Duration.ofSeconds(10))
          .until(() -> store.storedMessages().stream().anyMatch(m -> m.startsWith("heartlog dropped 1 records")));
      assertThat(agent.stats().droppedByReason()).containsEntry("rejected", 1L);
      assertThat(agent.stats().lastError()).isEqualTo("value too long");
    }

    assertThat(store.storedMessages()).contains("after", "heartlog dropped 1 records: the store rejected their batch");
  }

  @Test
  void aWorkerIdTooLongForAFileNameStillGetsAFolderOfItsOwn() {
    String longId = "w".repeat(3000);

    assertThat(WorkerSpool.folderName("gpu-7/a b")).isEqualTo("gpu-7_a_b");
    assertThat(WorkerSpool.folderName(longId)).hasSize(255).startsWith("www")
        .isNotEqualTo(WorkerSpool.folderName(longId + "x"));
  }

  @Test
  void twoWorkerIdsWithTheSameFolderNameKeepTheirSpoolsApart() {
    RecordingTransport store = new RecordingTransport();
    store.down.set(true);
    ByteArrayOutputStream second = new ByteArrayOutputStream();
    for (String id : List.of("render/1", "render_1")) {   // both would spool in render_1
      try (HeartlogAgent agent = agent(store).workerId(id).shutdownTimeout(Duration.ofMillis(300))
          .diagnostics(new PrintStream(second, true, StandardCharsets.UTF_8)).build()) {
        agent.log(Level.INFO, "logged by " + id);
        await().atMost(Duration.ofSeconds(10))
            .until(() -> agent.stats().currentBufferSize() == 0 && agent.stats().spooledBatches() > 0);
      }
    }
    store.down.set(false);
    try (HeartlogAgent underscore = agent(store).workerId("render_1").build();
        HeartlogAgent slash = agent(store).workerId("render/1").build()) {
      assertThat(underscore.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(slash.flush(Duration.ofSeconds(10))).isTrue();
    }

    Map<String, List<String>> storedByWorker = store.acknowledged.stream().collect(Collectors.groupingBy(
        Heartbeat::workerId, Collectors.flatMapping(h -> h.records().stream().map(LogRecord::message), Collectors.toList())));
    assertThat(storedByWorker).containsOnly(
        entry("render/1", List.of("logged by render/1")), entry("render_1", List.of("logged by render_1")));
    assertThat(second.toString(StandardCharsets.UTF_8)).as("the first to start keeps the folder")
        .contains("spool folder " + spoolFolder.resolve("render_1") + " belongs to worker render/1; this worker spools in "
            + spoolFolder.resolve(WorkerSpool.folderOfItsOwn("render_1")));
  }

  @Test
  void aSpoolFolderItCannotMakeIsReportedWithWhyAndTheRecordsStillGo() throws Exception {
    java.nio.file.Files.writeString(spoolFolder.resolve("test-worker"), "not a folder");
    RecordingTransport store = new RecordingTransport();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    try (HeartlogAgent agent = agent(store).diagnostics(new PrintStream(diagnostics, true, StandardCharsets.UTF_8)).build()) {
      agent.log(Level.INFO, "without a spool");
      assertThat(agent.flush(Duration.ofSeconds(10))).isTrue();
    }

    assertThat(diagnostics.toString(StandardCharsets.UTF_8)).contains("heartlog: spool unusable ("
        + spoolFolder.resolve("test-worker") + ": a file of that name is in the way); records wait in memory only");
    assertThat(store.storedMessages()).containsExactly("without a spool");
  }
}
