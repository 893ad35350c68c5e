package dev.heartlog.store;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Looks every {@link #LOOK_EVERY} whether the embedded server a JVM uses still runs, and has it
 * started again where it stopped: killed (the out-of-memory killer, a {@code kill -9}) or crashed.
 * It comes back on its port, so the connections of the commands using it come back too. Before,
 * a {@code heartlog serve} on the embedded store answered 503 until it was restarted, and its
 * workers' heartbeats failed. A start that fails is tried again after twice the wait, up to a
 * minute.
 */
final class ServerWatch implements AutoCloseable {

  static final Duration LOOK_EVERY = Duration.ofSeconds(2);
  private static final Duration LONGEST_WAIT = Duration.ofMinutes(1);

  private final Thread thread;
  private volatile boolean watching = true;

  /**
   * @param running whether the server runs now
   * @param startAgain starts it again, unless this watch was closed meanwhile; whether it runs then
   */
  ServerWatch(BooleanSupplier running, BooleanSupplier startAgain) {
    thread = new Thread(() -> {
      long wait = LOOK_EVERY.toMillis();
      while (watching) {
        try {
          Thread.sleep(wait);
        } catch (InterruptedException closed) {
          return;
        }
        boolean up = running.getAsBoolean() || (watching && startAgain.getAsBoolean());
        wait = up ? LOOK_EVERY.toMillis() : Math.min(wait * 2, LONGEST_WAIT.toMillis());
      }
    }, "heartlog-embedded-postgres-watch");
    thread.setDaemon(true);
    thread.start();
  }

  boolean watching() {
    return watching;
  }

  /** Ends the watch: called with the start lock held, so that no start again runs meanwhile. */
  @Override
  public void close() {
    watching = false;
    thread.interrupt();
  }
}
