package dev.heartlog.server;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Objects;

/**
 * What the live tail says of something that keeps failing, its database connection or its reads:
 * the first failure, each new reason, and the return with how long it took. Before, it said the
 * loss at each try, which come up to 10 s apart: 360 lines for a database away an hour.
 */
final class FailureReport {

  private final PrintStream diagnostics;
  private final String failing;
  private final String stillFailing;
  private final String back;
  private long failingSinceNanos;
  private String lastReason;   // null while it works

  /**
   * @param failing said at the first failure, before its reason ("live tail lost its database
   *     connection")
   * @param stillFailing said before each new reason after that
   * @param back said at the return, before "after N s"
   */
  private FailureReport(PrintStream diagnostics, String failing, String stillFailing, String back) {
    this.diagnostics = diagnostics;
    this.failing = failing;
    this.stillFailing = stillFailing;
    this.back = back;
  }

  /** The live tail's connection, on which it listens for the notifications of new records. */
  static FailureReport connection(PrintStream diagnostics) {
    return new FailureReport(diagnostics, "live tail lost its database connection",
        "live tail still without its database connection", "live tail connected to the database again");
  }

  /** The live tail's reads of new records, while its connection stands. */
  static FailureReport reads(PrintStream diagnostics) {
    return new FailureReport(diagnostics, "live tail cannot read new records",
        "live tail still cannot read new records", "live tail reads new records again");
  }

  /** It failed for {@code reason}, of which the first line is said (not pgjdbc's "Position: 15"). */
  void failed(String reason) {
    String said = Objects.requireNonNullElse(reason, "no reason given").lines().findFirst().orElse("no reason given");
    if (lastReason == null) {
      failingSinceNanos = System.nanoTime();
      diagnostics.println("heartlog serve: " + failing + " (" + said + "); retrying");
    } else if (!said.equals(lastReason)) {
      diagnostics.println("heartlog serve: " + stillFailing + " (" + said + "); retrying");
    }
    lastReason = said;
  }

  /** It worked: after a failure, says so with how long it lasted. */
  void worked() {
    if (lastReason != null) {
      long seconds = Duration.ofNanos(System.nanoTime() - failingSinceNanos).toSeconds();
      diagnostics.println("heartlog serve: " + back + " after " + seconds + " s");
      lastReason = null;
    }
  }
}
