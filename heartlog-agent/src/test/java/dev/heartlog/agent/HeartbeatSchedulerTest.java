package dev.heartlog.agent;

import static dev.heartlog.agent.AgentTestSupport.agent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HeartbeatSchedulerTest {

  @Test
  void aFlushThatTheHeartbeatUnderWaySatisfiesAsksForNoMoreHeartbeatsOnASharedThreadToo() throws Exception {
    HeldStore heldStore = new HeldStore(worker -> true);
    try (HeartbeatScheduler scheduler = HeartbeatScheduler.create(1);
        HeartlogAgent agent = agent(heldStore).bufferSize(3).scheduler(scheduler).build()) {
      HeartlogAgentTest.flushWhileTheHeartbeatIsHeld(agent, heldStore);
    }
    assertThat(heldStore.store.storedMessages()).endsWith("frame 4");
  }

  @Test
  void manyAgentsShareTwoThreadsAndEachDeliversEveryRecordInOrder() {
    int agents = 200;
    Set<String> heartbeatThreads = ConcurrentHashMap.newKeySet();
    List<RecordingTransport> stores = new ArrayList<>();
    List<HeartlogAgent> started = new ArrayList<>();
    int threadsBefore = Thread.activeCount();
    try (HeartbeatScheduler scheduler = HeartbeatScheduler.create(2)) {
      for (int i = 0; i < agents; i++) {
        RecordingTransport store = new RecordingTransport();
        stores.add(store);
        started.add(agent(store).workerId("worker-" + i).bufferSize(10).scheduler(scheduler).build());
      }
      assertThat(Thread.activeCount() - threadsBefore).isLessThanOrEqualTo(2);

      for (int round = 0; round < 25; round++) {
        for (HeartlogAgent agent : started) {
          agent.log(Level.INFO, agent.workerId() + " record " + round);
        }
      }
      // 25 records each: two batches went at the threshold of 10; flush sends the last 5.
      for (HeartlogAgent agent : started) {
        assertThat(agent.flush(Duration.ofSeconds(20))).isTrue();
      }
      for (HeartlogAgent agent : started) {
        assertThat(agent.shutdown(WorkerStatus.STOPPED, Duration.ofSeconds(10))).isTrue();
      }
    }

    stores.forEach(store -> heartbeatThreads.addAll(store.callingThreads));
    assertThat(heartbeatThreads).hasSizeLessThanOrEqualTo(2).allMatch(name -> name.startsWith("heartlog-heartbeats-"));
    for (int i = 0; i < agents; i++) {
      List<String> expected = new ArrayList<>();
      for (int round = 0; round < 25; round++) {
        expected.add("worker-" + i + " record " + round);
      }
      RecordingTransport store = stores.get(i);
      assertThat(store.storedMessages()).containsExactlyElementsOf(expected);
      assertThat(store.acknowledged.get(store.acknowledged.size() - 1).status()).isEqualTo(WorkerStatus.STOPPED);
      assertThat(store.closed).isTrue();
    }
  }

  @Test
  void aThresholdWakesAnAgentWhoseNextRoundIsAnHourAway() {
    RecordingTransport store = new RecordingTransport();
    try (HeartbeatScheduler scheduler = HeartbeatScheduler.create(1);
        HeartlogAgent agent = agent(store).bufferSize(3).scheduler(scheduler).build()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> store.received.size() == 1); // the first heartbeat
      agent.log(Level.INFO, "one");
      agent.log(Level.INFO, "two");
      agent.log(Level.INFO, "three");

      await().atMost(Duration.ofSeconds(10)).until(() -> store.storedMessages().size() == 3);
      // Woken, not duplicated: one round waits for this agent again.
      await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.scheduledRounds() == 1);
    }
  }

  @Test
  void aStoreThatIsDownIsRetriedOnTheSharedThreadWithoutLosingRecords() {
    RecordingTransport store = new RecordingTransport();
    store.down.set(true);
    try (HeartbeatScheduler scheduler = HeartbeatScheduler.create(1);
        HeartlogAgent agent =
            agent(store).bufferSize(2).maxRetryDelay(Duration.ofMillis(200)).scheduler(scheduler).build()) {
      agent.log(Level.INFO, "kept 1");
      agent.log(Level.INFO, "kept 2");
      await().atMost(Duration.ofSeconds(10)).until(() -> store.received.size() >= 3);
      assertThat(store.acknowledged).isEmpty();

      store.down.set(false);
      assertThat(agent.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(store.storedMessages()).containsExactly("kept 1", "kept 2");
    }
  }

  @Test
  void withoutASpoolAHeartbeatThatWaitedForACallCarriesEveryRecordThatWaited() throws Exception {
    // One call at a time on two threads; the store holds the calls carrying records.
    HeldStore heldStore = new HeldStore(worker -> true);
    RecordingTransport store = heldStore.store;
    try (HeartbeatScheduler scheduler = HeartbeatScheduler.create(2);
        HeartlogAgent calling = agent(heldStore).workerId("calling").scheduler(scheduler).build();
        HeartlogAgent waiting = agent(heldStore).workerId("waiting").bufferSize(10).scheduler(scheduler).build()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> store.received.size() == 2); // the first heartbeats
      calling.log(Level.INFO, "held");
      calling.flush(Duration.ofMillis(1));
      assertThat(heldStore.awaitHeld(Duration.ofSeconds(10))).isTrue();
      for (int i = 0; i < 35; i++) {
        waiting.log(Level.INFO, "waited " + i); // at 10, 20 and 30 a round finds the call taken
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.heartbeatsWaitingForACall() == 1);

      heldStore.release();
      assertThat(waiting.flush(Duration.ofSeconds(10))).isTrue();
      List<List<LogRecord>> batches = store.acknowledged.stream()
          .filter(heartbeat -> heartbeat.workerId().equals("waiting") && !heartbeat.records().isEmpty())
          .map(Heartbeat::records)
          .toList();
      assertThat(batches.get(0)).as("the first batch, cut once the call was free").hasSize(35);
    }
  }

  @Test
  void aHeartbeatWaitingInLineRunsNoRoundsUntilItsCallIsFree() throws Exception {
    HeldStore heldStore = new HeldStore(worker -> worker.equals("calling"));
    AtomicInteger rounds = new AtomicInteger();
    try (HeartbeatScheduler scheduler = HeartbeatScheduler.create(2, late -> rounds.incrementAndGet());
        HeartlogAgent calling = agent(heldStore).workerId("calling").scheduler(scheduler).build()) {
      calling.log(Level.INFO, "held");
      calling.flush(Duration.ofMillis(1));
      assertThat(heldStore.awaitHeld(Duration.ofSeconds(10))).isTrue();
      try (HeartlogAgent waiting =
          agent(heldStore).workerId("waiting").heartbeatInterval(Duration.ofMillis(300)).scheduler(scheduler).build()) {
        await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.heartbeatsWaitingForACall() == 1);
        int before = rounds.get();
        Thread.sleep(1_000);
        // Its heartbeat and cut are due, but nothing can be done before the call is free: a round
        // at each interval at most, not a round after round on the free thread.
        assertThat(rounds.get() - before).isLessThanOrEqualTo(10);

        heldStore.release();
        assertThat(waiting.flush(Duration.ofSeconds(10))).isTrue();
      }
    }
  }

  @Test
  void recordsLoggedOnAHeartbeatThreadAreLeftOut() throws Exception {
    RecordingTransport store = new RecordingTransport();
    try (HeartbeatScheduler scheduler = HeartbeatScheduler.create(1);
        HeartlogAgent agent = agent(store).scheduler(scheduler).build()) {
      scheduler.executor().submit(() -> agent.log(Level.INFO, "from the pipeline")).get();
      agent.log(Level.INFO, "from the worker");
      agent.flush(Duration.ofSeconds(10));
      assertThat(store.storedMessages()).containsExactly("from the worker");
    }
  }

  @Test
  void itReportsHowLateEachRoundStarted() {
    java.util.List<Long> lateness = new java.util.concurrent.CopyOnWriteArrayList<>();
    RecordingTransport store = new RecordingTransport();
    try (HeartbeatScheduler scheduler = HeartbeatScheduler.create(1, lateness::add);
        HeartlogAgent agent = agent(store).heartbeatInterval(Duration.ofMillis(50)).scheduler(scheduler).build()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> store.received.size() >= 5);
    }
    assertThat(lateness).hasSizeGreaterThanOrEqualTo(5).allMatch(nanos -> nanos >= 0 && nanos < 5_000_000_000L);
  }

  @Test
  void anAgentWhoseSchedulerWasClosedFirstReturnsFromShutdownAndSaysItDidNotFinish() {
    RecordingTransport store = new RecordingTransport();
    HeartbeatScheduler scheduler = HeartbeatScheduler.create(1);
    HeartlogAgent agent = agent(store).scheduler(scheduler).build();
    await().atMost(Duration.ofSeconds(10)).until(() -> store.received.size() == 1);
    agent.log(Level.INFO, "left behind");

    scheduler.close();
    boolean stopped = agent.shutdown(WorkerStatus.STOPPED, Duration.ofMillis(500));

    assertThat(stopped).as("no thread is left to send the final heartbeat").isFalse();
    assertThat(store.storedMessages()).doesNotContain("left behind");
  }

  @Test
  void aSchedulerNeedsAThread() {
    assertThatThrownBy(() -> HeartbeatScheduler.create(0)).hasMessageContaining("at least one thread");
  }
}
