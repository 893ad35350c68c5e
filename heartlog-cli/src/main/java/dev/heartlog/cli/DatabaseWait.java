package dev.heartlog.cli;

import dev.heartlog.store.StoreException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Opening a configured database that may not answer yet: one started beside the command (Compose's
 * {@code depends_on}, two containers of a pod, a machine's boot). An unreachable database is said
 * once on stderr and tried again every {@link #RETRY}; what waiting does not mend, a wrong
 * password or a database that does not exist, fails at once.
 */
final class DatabaseWait {

  static final Duration RETRY = Duration.ofSeconds(2);

  private final String command;
  private final PrintWriter err;

  /** @param command the command, as its messages start: {@code "heartlog serve"} */
  DatabaseWait(String command, PrintWriter err) {
    this.command = command;
    this.err = err;
  }

  /**
   * Opens the store with {@code open}, trying again while the database is unreachable, for at
   * most {@code atMost} ({@code null}: until it answers).
   *
   * @throws StoreException the last failure, once waiting has not mended it
   */
  StoreOptions.Opened open(Supplier<StoreOptions.Opened> open, Duration atMost) throws InterruptedException {
    long waitingSince = 0;
    while (true) {
      try {
        StoreOptions.Opened opened = open.get();
        if (waitingSince != 0) {
          say("the database answers, after " + secondsSince(waitingSince) + " s");
        }
        return opened;
      } catch (StoreException e) {
        if (!e.isUnreachable()) {
          throw e;
        }
        long now = System.nanoTime();
        if (waitingSince == 0) {
          waitingSince = now;
          say(e.getMessage() + "; trying again every " + RETRY.toSeconds() + " s "
              + (atMost == null ? "until it answers" : "for up to " + atMost.toSeconds() + " s") + " (Ctrl-C ends)");
        }
        if (atMost != null && now - waitingSince + RETRY.toNanos() > atMost.toNanos()) {
          throw new StoreException(e.getMessage() + " (still, after waiting " + secondsSince(waitingSince) + " s)",
              e, e.sqlState());
        }
        Thread.sleep(RETRY.toMillis());
      }
    }
  }

  private void say(String what) {
    err.println(command + ": " + what);
    err.flush();
  }

  private static long secondsSince(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos).toSeconds();
  }
}
