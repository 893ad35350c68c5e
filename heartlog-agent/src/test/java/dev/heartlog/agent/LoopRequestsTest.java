package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class LoopRequestsTest {

  private final LoopRequests requests = new LoopRequests();

  @Test
  void aRequestedRoundIsTakenOnceAndEachRequestCallsTheWaker() {
    AtomicInteger wakes = new AtomicInteger();
    requests.onWakeRequest(wakes::incrementAndGet);

    assertThat(requests.takeBeatRequest()).isFalse();
    requests.requestBeat();
    assertThat(requests.takeBeatRequest()).isTrue();
    assertThat(requests.takeBeatRequest()).as("taken").isFalse();
    assertThat(wakes).hasValue(1);
  }

  @Test
  void aClosedLoopAlwaysHasARoundDueAndKeepsItsFinalStatus() {
    assertThat(requests.finalStatus()).isEqualTo(WorkerStatus.STOPPED);

    requests.close(WorkerStatus.CRASHED);

    assertThat(requests.isClosing()).isTrue();
    assertThat(requests.finalStatus()).isEqualTo(WorkerStatus.CRASHED);
    assertThat(requests.takeBeatRequest()).isTrue();
    assertThat(requests.takeBeatRequest()).isTrue();
  }

  @Test
  void aWaitingLoopWakesOnARequestLongBeforeItsDeadline() throws Exception {
    long anHourAway = System.nanoTime() + TimeUnit.HOURS.toNanos(1);
    CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> requests.awaitRequest(anHourAway));

    requests.requestBeat();

    waiting.get(30, TimeUnit.SECONDS);
    assertThat(requests.takeBeatRequest()).as("the wait took the request").isFalse();
  }

  @Test
  void anInterruptedWaitClosesTheLoop() throws Exception {
    long anHourAway = System.nanoTime() + TimeUnit.HOURS.toNanos(1);
    Thread loop = new Thread(() -> requests.awaitRequest(anHourAway));
    loop.start();
    await().until(() -> loop.getState() == Thread.State.TIMED_WAITING);

    loop.interrupt();
    loop.join(30_000);

    assertThat(loop.isAlive()).isFalse();
    assertThat(requests.isClosing()).isTrue();
  }

  @Test
  void flushingAsksForFlushingRoundsUntilDone() throws Exception {
    AtomicBoolean delivered = new AtomicBoolean();
    CompletableFuture<Boolean> flush = CompletableFuture.supplyAsync(() -> {
      try {
        return requests.flushUntil(delivered::get, Duration.ofMinutes(1));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });

    await().until(requests::takeFlushRequest);
    assertThat(requests.takeBeatRequest()).isTrue();
    delivered.set(true);
    requests.signalProgress();

    assertThat(flush.get(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aFlushThatTheRoundUnderWaySettlesIsNotAskedForAnyMore() throws Exception {
    AtomicBoolean delivered = new AtomicBoolean();
    CompletableFuture<Boolean> flush = flushUntil(delivered::get);
    await().until(requests::hasFlushRequest);

    delivered.set(true);   // by a round that began before the flush was asked
    requests.signalProgress();

    assertThat(requests.takeFlushRequest()).as("a flush still asked for").isFalse();
    assertThat(flush.get(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void flushingGivesUpAtItsTimeout() throws InterruptedException {
    assertThat(requests.flushUntil(() -> false, Duration.ofMillis(50))).isFalse();
    assertThat(requests.takeFlushRequest()).as("the flush was asked for meanwhile").isTrue();
  }

  private CompletableFuture<Boolean> flushUntil(BooleanSupplier done) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return requests.flushUntil(done, Duration.ofMinutes(1));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
  }
}
