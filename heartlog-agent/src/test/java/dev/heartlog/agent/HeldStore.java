package dev.heartlog.agent;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A store that holds every call carrying records of the chosen workers until {@link #release()},
 * as a locked table or a network dropping packets does; then stores into {@link #store}.
 */
final class HeldStore implements Transport {

  final RecordingTransport store = new RecordingTransport();
  /** Calls that were held. */
  final AtomicInteger heldCalls = new AtomicInteger();
  /** The heartbeats of the calls that were held, in the order they came. */
  final List<Heartbeat> held = new CopyOnWriteArrayList<>();
  private final Predicate<String> holdsWorker;
  private final CountDownLatch firstHeld = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);

  HeldStore(Predicate<String> holdsWorker) {
    this.holdsWorker = holdsWorker;
  }

  @Override
  public DeliveryResult deliver(Heartbeat heartbeat) {
    if (!heartbeat.records().isEmpty() && holdsWorker.test(heartbeat.workerId()) && released.getCount() > 0) {
      heldCalls.incrementAndGet();
      held.add(heartbeat);
      firstHeld.countDown();
      try {
        released.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return store.deliver(heartbeat);
  }

  /** Waits until a call is held. */
  boolean awaitHeld(Duration timeout) throws InterruptedException {
    return firstHeld.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The messages a heartbeat carries. */
  static List<String> messages(Heartbeat heartbeat) {
    return heartbeat.records().stream().map(LogRecord::message).toList();
  }

  /** Lets the held calls through, and every call after them. */
  void release() {
    released.countDown();
  }
}
