package dev.heartlog.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A command's reads ended by a signal (Ctrl-C, SIGTERM) before its store closes: the shutdown
 * marks the stop, interrupts the command's thread (out of a pause) and waits, at most {@link
 * #WAIT}, for the read under way to finish. The command then ends quietly, not with the error of
 * a read on a closed pool or a stopped embedded server.
 */
final class SignalStop {

  /** How long a signal waits for a read under way before the store is closed. */
  static final Duration WAIT = Duration.ofSeconds(5);

  private final AtomicBoolean requested = new AtomicBoolean();
  private final CountDownLatch done = new CountDownLatch(1);

  private SignalStop() {}

  /** A stop for the calling thread's reads of {@code opened}'s store. */
  static SignalStop on(StoreOptions.Opened opened) {
    return on(opened::onShutdown);
  }

  /** A stop for the calling thread's reads, its action given to {@code onShutdown}. */
  // Visible for testing
  static SignalStop on(Consumer<Runnable> onShutdown) {
    SignalStop stop = new SignalStop();
    Thread reader = Thread.currentThread();
    onShutdown.accept(() -> {
      stop.requested.set(true);
      reader.interrupt();
      try {
        stop.done.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    return stop;
  }

  /** Whether a signal asked the command to stop: what its reads fail with then is no error. */
  boolean requested() {
    return requested.get();
  }

  /** The command's reads are over; the store may close. */
  void done() {
    done.countDown();
  }
}
