package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A signal's shutdown waits for the command's read under way before the store closes. */
class SignalStopTest {

  @Test
  @Timeout(30)
  void theShutdownMarksTheStopInterruptsThePauseAndWaitsForTheReadUnderWay() throws Exception {
    List<Runnable> shutdownActions = new ArrayList<>();
    AtomicReference<SignalStop> stop = new AtomicReference<>();
    CountDownLatch registered = new CountDownLatch(1);
    CountDownLatch readUnderWay = new CountDownLatch(1);
    CountDownLatch readMayEnd = new CountDownLatch(1);
    AtomicBoolean pauseInterrupted = new AtomicBoolean();
    Thread command = new Thread(() -> {
      stop.set(SignalStop.on(shutdownActions::add));
      registered.countDown();
      try {
        readUnderWay.countDown();
        readUninterruptibly(readMayEnd);   // as a socket read: the interrupt waits in the thread's flag
        Thread.sleep(60_000);              // then the pause between reads, which it ends
      } catch (InterruptedException e) {
        pauseInterrupted.set(stop.get().requested());
      } finally {
        stop.get().done();
      }
    });
    command.start();
    registered.await();
    readUnderWay.await();

    CompletableFuture<Void> shutdown = CompletableFuture.runAsync(shutdownActions.get(0));
    await().atMost(Duration.ofSeconds(5)).until(() -> stop.get().requested());
    assertThat(shutdown).as("waits while the read is under way").isNotDone();
    readMayEnd.countDown();

    shutdown.get(10, TimeUnit.SECONDS);
    command.join(10_000);
    assertThat(pauseInterrupted).as("the pause after it was interrupted, the stop requested").isTrue();
  }

  /** Waits for {@code end} as a blocking socket read does: an interrupt only sets the flag. */
  private static void readUninterruptibly(CountDownLatch end) {
    boolean interrupted = false;
    while (true) {
      try {
        end.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
