package dev.heartlog.server;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Objects;

/**
 * What the live tail says of its database connection while the database is away: the loss, each
 * new reason for failing to connect again, and the reconnection with how long it took. Before,
 * it said the loss at each try, which come up to 10 s apart: 360 lines for a database away an hour.
 */
final class ConnectionLoss {

  private final PrintStream diagnostics;
  private long lostAtNanos;
  private String lastReason;   // null while connected

  ConnectionLoss(PrintStream diagnostics) {
    this.diagnostics = diagnostics;
  }

  /** An attempt to connect, or the connection held, failed for {@code reason}. */
  void failed(String reason) {
    String said = Objects.requireNonNullElse(reason, "no reason given");
    if (lastReason == null) {
      lostAtNanos = System.nanoTime();
      diagnostics.println("heartlog serve: live tail lost its database connection (" + said + "); retrying");
    } else if (!said.equals(lastReason)) {
      diagnostics.println("heartlog serve: live tail still without its database connection (" + said + "); retrying");
    }
    lastReason = said;
  }

  /** Connected: after a loss, says so with how long it lasted. */
  void connected() {
    if (lastReason != null) {
      long seconds = Duration.ofNanos(System.nanoTime() - lostAtNanos).toSeconds();
      diagnostics.println("heartlog serve: live tail connected to the database again after " + seconds + " s");
      lastReason = null;
    }
  }
}
