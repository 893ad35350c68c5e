package dev.heartlog.agent;

import static dev.heartlog.agent.AgentTestSupport.agent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class HeartlogAgentTest {

  private final RecordingTransport store = new RecordingTransport();

  @Test
  void recordsCarryTheCurrentTaskUntilItEndsAndAnExplicitTaskWins() {
    try (HeartlogAgent agent = agent(store).build()) {
      agent.log(Level.INFO, "before");
      agent.startTask("task-1");
      agent.log(Level.INFO, "during");
      agent.log(Level.INFO, "explicit", "task-2", Map.of());
      agent.endTask();
      agent.log(Level.INFO, "after");

      assertThat(agent.flush(Duration.ofSeconds(10))).isTrue();
    }

    assertThat(store.storedRecords())
        .extracting(LogRecord::message, LogRecord::taskId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("before", null),
            org.assertj.core.groups.Tuple.tuple("during", "task-1"),
            org.assertj.core.groups.Tuple.tuple("explicit", "task-2"),
            org.assertj.core.groups.Tuple.tuple("after", null));
  }

  @Test
  void aFlushSendsTheCountOfAFloodWhoseRecordsWereSentBefore() {
    try (HeartlogAgent agent = agent(store).build()) {
      for (int i = 0; i < 12; i++) {
        agent.log(Level.WARNING, "connection refused, retrying");
      }
      assertThat(agent.flush(Duration.ofSeconds(10))).isTrue();
      int sentBefore = store.storedMessages().size();
      for (int i = 0; i < 30; i++) {
        agent.log(Level.WARNING, "connection refused, retrying");   // counted: no record is added
      }

      assertThat(agent.flush(Duration.ofSeconds(10))).isTrue();

      assertThat(store.storedMessages().subList(sentBefore, store.storedMessages().size()))
          .containsExactly("repeated 30 more times: connection refused, retrying");
    }
  }

  /**
   * A flush that the heartbeat already under way satisfies leaves no flush behind: before, the
   * loop took the stale request as soon as that call returned and sent what the worker had logged
   * since, at once, in a heartbeat of its own (how the flood test above once saw 27 and 3).
   */
  @Test
  void aFlushThatTheHeartbeatUnderWaySatisfiesAsksForNoMoreHeartbeats() throws Exception {
    HeldStore heldStore = new HeldStore(worker -> true);
    try (HeartlogAgent agent = agent(heldStore).bufferSize(3).build()) {
      flushWhileTheHeartbeatIsHeld(agent, heldStore);
    }
    assertThat(heldStore.store.storedMessages()).endsWith("frame 4");
  }

  /**
   * Logs three records, the third making a heartbeat due, which {@code heldStore} holds; flushes
   * on another thread meanwhile, logs a fourth after the flush was asked, and lets the heartbeat
   * through: the flush returns, and the fourth waits for the next heartbeat.
   */
  static void flushWhileTheHeartbeatIsHeld(HeartlogAgent agent, HeldStore heldStore) throws Exception {
    // The agent's first round cuts all that is buffered, so it must be over before the frames:
    // once, in CI, it ran late and cut frame 1 alone, and frame 4 made the rest's threshold.
    await().atMost(Duration.ofSeconds(10)).until(() -> heldStore.store.received.size() == 1);
    for (int i = 1; i <= 3; i++) {
      agent.log(Level.INFO, "frame " + i);
    }
    assertThat(heldStore.awaitHeld(Duration.ofSeconds(10))).isTrue();
    assertThat(heldStore.held).singleElement().extracting(HeldStore::messages)
        .isEqualTo(List.of("frame 1", "frame 2", "frame 3"));
    CompletableFuture<Boolean> flush = new CompletableFuture<>();
    Thread flushing = new Thread(() -> flush.complete(agent.flush(Duration.ofSeconds(10))));
    flushing.start();
    await().until(() -> flushing.getState() == Thread.State.TIMED_WAITING);
    agent.log(Level.INFO, "frame 4");   // after the flush was asked: not the flush's to send

    heldStore.release();

    assertThat(flush.get(10, TimeUnit.SECONDS)).isTrue();
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
        .until(heldStore.store::storedMessages, messages -> messages.equals(List.of("frame 1", "frame 2", "frame 3")));
  }

  @Test
  void theStartMessageSaysTheHeartbeatIntervalAsSet() {
    for (Duration interval : List.of(Duration.ofSeconds(20), Duration.ofMillis(500))) {
      ByteArrayOutputStream said = new ByteArrayOutputStream();
      try (HeartlogAgent agent = agent(store).heartbeatInterval(interval)
          .diagnostics(new PrintStream(said, true, StandardCharsets.UTF_8)).build()) {
        assertThat(said.toString(StandardCharsets.UTF_8)).contains(
            "heartlog: log buffer initialized (max_size=100, will flush with heartbeats every "
                + (interval.toMillis() == 500 ? "500ms" : "20s") + "; no spool)");
      }
    }
  }

  @Test
  void aPatternMessageTravelsFormattedAndAHugeOneIsCutWhenCaptured() {
    try (HeartlogAgent agent = agent(store).build()) {
      agent.log(null, Level.INFO, MessagePattern.of("frame {} of {}", new Object[] {42, "t-1"}), null, Map.of());
      String huge = "z".repeat(RecordJson.MAX_MESSAGE_CHARS + 10);
      agent.log(null, Level.WARNING, MessagePattern.of("huge {}", new Object[] {huge}), null, Map.of());
      agent.log(null, Level.INFO, (MessagePattern) null, null, Map.of());  // never throws: an empty message

      assertThat(agent.flush(Duration.ofSeconds(10))).isTrue();
    }

    List<LogRecord> sent = store.acknowledged.stream()
        .flatMap(heartbeat -> SpoolLine.parseRecords(heartbeat.logsJson()).stream())
        .toList();
    assertThat(sent).extracting(LogRecord::message).first().isEqualTo("frame 42 of t-1");
    assertThat(sent.get(1).message()).startsWith("huge zzz").contains("[heartlog truncated")
        .hasSizeLessThanOrEqualTo(RecordJson.MAX_MESSAGE_CHARS);
    assertThat(sent).hasSize(3);
    assertThat(sent.get(2).message()).isEmpty();
  }

  @Test
  void heartbeatsReportTheCurrentTaskAndSequenceNumbersIncrease() {
    try (HeartlogAgent agent = agent(store).build()) {
      agent.startTask("task-9");
      agent.log(Level.INFO, "one");
      agent.log(Level.INFO, "two");
      assertThat(agent.flush(Duration.ofSeconds(10))).isTrue();

      // One batch or two: the heartbeat thread's first round may cut the buffer between the calls.
      List<Heartbeat> carrying = store.acknowledged.stream().filter(h -> !h.records().isEmpty()).toList();
      assertThat(carrying).isNotEmpty().allSatisfy(heartbeat -> {
        assertThat(heartbeat.currentTaskId()).isEqualTo("task-9");
        assertThat(heartbeat.sessionId()).isEqualTo(agent.sessionId());
      });
      assertThat(carrying).extracting(Heartbeat::batchSequence)
          .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, carrying.size()).boxed().toList());
      assertThat(carrying.stream().flatMap(heartbeat -> heartbeat.records().stream()))
          .extracting(LogRecord::sequence).containsExactly(1L, 2L);
    }
  }

  @Test
  void debugRecordsAreKeptOnlyInDebugMode() {
    RecordingTransport debugStore = new RecordingTransport();
    try (HeartlogAgent quiet = agent(store).build();
        HeartlogAgent verbose = agent(debugStore).debug(true).build()) {
      quiet.log(Level.DEBUG, "hidden");
      quiet.log(Level.INFO, "shown");
      verbose.log(Level.DEBUG, "kept");
      quiet.flush(Duration.ofSeconds(10));
      verbose.flush(Duration.ofSeconds(10));
    }

    assertThat(store.storedMessages()).containsExactly("shown");
    assertThat(debugStore.storedMessages()).containsExactly("kept");
  }

  @Test
  void anAgentOnItsOwnThreadCallsFromASecondThreadOnlyWhenItHasASpoolToCutInto(@TempDir Path spools) {
    RecordingTransport spooling = new RecordingTransport();
    try (HeartlogAgent withoutSpool = agent(store).workerId("memory-only").build();
        HeartlogAgent withSpool = agent(spooling).workerId("spooling").spoolDirectory(spools).build()) {
      withoutSpool.log(Level.INFO, "one");
      withSpool.log(Level.INFO, "one");
      assertThat(withoutSpool.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(withSpool.flush(Duration.ofSeconds(10))).isTrue();
    }

    // Without a spool a cut while the call waits frees no memory: no second thread for it.
    assertThat(store.callingThreads).containsExactly("heartlog-heartbeat-memory-only");
    assertThat(spooling.callingThreads).containsExactly("heartlog-heartbeat-spooling-calls");
  }

  @Test
  void aFullBufferSendsAtOnceInsteadOfWaitingForTheInterval() {
    try (HeartlogAgent agent = agent(store).bufferSize(10).build()) {
      // The first round cuts at once whatever waits; a record logged before it would leave the
      // buffer short of its threshold, and the rest would wait the hour.
      await().atMost(Duration.ofSeconds(10)).until(() -> !store.acknowledged.isEmpty());
      for (int i = 0; i < 10; i++) {
        agent.log(Level.INFO, "record " + i);
      }

      await().atMost(Duration.ofSeconds(10)).until(() -> store.storedRecords().size() == 10);
      assertThat(agent.stats().totalFlushes()).isPositive();
    }
  }

  @Test
  void recordsSurviveAStoreOutageAndArriveOnceInOrder() {
    store.down.set(true);
    try (HeartlogAgent agent = agent(store).heartbeatInterval(Duration.ofMillis(50)).build()) {
      for (int i = 0; i < 50; i++) {
        agent.log(Level.INFO, "record " + i);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> store.received.size() >= 3);
      assertThat(store.acknowledged.stream().mapToInt(h -> h.records().size()).sum()).isZero();
      assertThat(agent.stats().currentBufferSize()).isEqualTo(50);

      store.down.set(false);
      assertThat(agent.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(agent.stats().totalSent()).isEqualTo(50);
      assertThat(agent.stats().currentBufferSize()).isZero();
    }

    assertThat(store.storedMessages()).hasSize(50).first().isEqualTo("record 0");
    assertThat(store.storedMessages()).doesNotHaveDuplicates().last().isEqualTo("record 49");
  }

  @Test
  void aRetriedBatchKeepsItsBatchNumberSoTheStoreCanDeduplicate() {
    store.down.set(true);
    try (HeartlogAgent agent = agent(store).heartbeatInterval(Duration.ofMillis(50)).build()) {
      agent.log(Level.INFO, "only");
      await().atMost(Duration.ofSeconds(10)).until(() -> store.received.stream().filter(h -> !h.records().isEmpty()).count() >= 2);
      store.down.set(false);
      agent.flush(Duration.ofSeconds(10));
    }

    assertThat(store.received.stream().filter(h -> !h.records().isEmpty()).map(Heartbeat::batchSequence).distinct())
        .containsExactly(1L);
  }

  @Test
  void droppedRecordsAreCountedAndReportedAsAWarningRecord() {
    store.down.set(true);
    try (HeartlogAgent agent =
        agent(store).heartbeatInterval(Duration.ofMillis(50)).bufferSize(5).maxBuffered(5, Long.MAX_VALUE).build()) {
      for (int i = 0; i < 8; i++) {
        agent.log(Level.INFO, "record " + i);
      }
      assertThat(agent.stats().totalDropped()).isPositive();
      long dropped = agent.stats().totalDropped();

      store.down.set(false);
      agent.flush(Duration.ofSeconds(10));
      await().atMost(Duration.ofSeconds(10))
          .until(() -> store.storedMessages().stream().anyMatch(m -> m.startsWith("heartlog dropped")));

      // Drops on both sides of a batch cut arrive as two reports; together they say all.
      List<LogRecord> reports = store.storedRecords().stream()
          .filter(r -> r.message().startsWith("heartlog dropped")).toList();
      assertThat(reports).isNotEmpty().allSatisfy(r -> {
        assertThat(r.level()).isEqualTo(Level.WARNING);
        assertThat(r.message()).endsWith(" records: memory and spool were full (or the spool off) while the store did not take them");
      });
      assertThat(reports.stream().mapToLong(r -> (Long) r.metadata().get("heartlog_dropped")).sum()).isEqualTo(dropped);
      assertThat(store.storedRecords().size() - reports.size() + dropped).isEqualTo(8);
    }
  }

  @Test
  void closeSendsWhatIsBufferedWithAFinalStoppedHeartbeatAndIsIdempotent() {
    HeartlogAgent agent = agent(store).build();
    agent.log(Level.INFO, "last words");

    boolean finished = agent.shutdown(WorkerStatus.STOPPED, Duration.ofSeconds(5));
    agent.close();

    assertThat(finished).isTrue();
    assertThat(store.storedMessages()).containsExactly("last words");
    assertThat(store.received.get(store.received.size() - 1).status()).isEqualTo(WorkerStatus.STOPPED);
    assertThat(store.closed).isTrue();
  }

  @Test
  void shutdownReturnsWithinItsDeadlineWhenTheStoreHangs() {
    Transport hanging =
        heartbeat -> {
          try {
            Thread.sleep(60_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return DeliveryResult.failed("hung");
        };
    HeartlogAgent agent = agent(hanging).build();
    agent.log(Level.INFO, "stuck");

    long started = System.nanoTime();
    boolean finished = agent.shutdown(WorkerStatus.STOPPED, Duration.ofMillis(300));

    assertThat(finished).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void loggingNeverThrowsEvenWithoutADestination() {
    try (HeartlogAgent agent = agent(null).bufferSize(5).maxBuffered(10, Long.MAX_VALUE).build()) {
      for (int i = 0; i < 100; i++) {
        agent.log(Level.ERROR, "nowhere to go " + i);
      }
      assertThat(agent.stats().currentBufferSize()).isEqualTo(10);
      assertThat(agent.stats().totalDropped()).isEqualTo(90);
    }
  }

  @Test
  void builderRejectsBadValuesWithSentencesThatNameTheSetting() {
    assertThatThrownBy(() -> HeartlogAgent.builder().workerId(" "))
        .hasMessage("worker id must not be blank");
    // Longer than the store's indexes hold: refused at every heartbeat, so at the start instead.
    assertThatThrownBy(() -> HeartlogAgent.builder().workerId("é".repeat(1_001)))
        .hasMessage("worker id is 2002 bytes long; heartlog takes worker ids of at most 2000");
    assertThat(HeartlogAgent.builder().workerId("é".repeat(1_000))).isNotNull();
    assertThatThrownBy(() -> HeartlogAgent.builder().heartbeatInterval(Duration.ZERO))
        .hasMessage("heartbeat interval must be positive");
    assertThatThrownBy(() -> HeartlogAgent.builder().shutdownTimeout(Duration.ofDays(365_000)))
        .hasMessage("shutdown timeout must be at most 24h (got PT8760000H)");
    assertThatThrownBy(() -> HeartlogAgent.builder().bufferSize(0)).hasMessage("buffer size must be positive");
    assertThatThrownBy(() -> HeartlogAgent.builder().build())
        .hasMessageStartingWith("worker id is required");
  }
}
