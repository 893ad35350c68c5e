package dev.heartlog.agent;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * heartlog's own messages. They go to stderr, never through the logging pipeline (a store
 * outage must not fill the buffer it cannot empty), and each kind of problem is printed at most
 * once per {@link #REPEAT_AFTER}.
 */
final class Diagnostics {

  /** How long a repeated problem of the same kind stays quiet. */
  static final Duration REPEAT_AFTER = Duration.ofMinutes(1);

  private final PrintStream out;
  private final Clock clock;
  private final ConcurrentHashMap<String, Long> lastPrinted = new ConcurrentHashMap<>();

  Diagnostics(PrintStream out, Clock clock) {
    this.out = out;
    this.clock = clock;
  }

  /** {@code 1 batch}, {@code 3 batches}: a count and its noun in the number it takes. */
  static String count(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  /** {@code 20s}, or {@code 500ms} for a length that is no whole number of seconds. */
  static String length(Duration length) {
    long millis = length.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }

  /** Prints a message unconditionally (start-up, statistics). */
  void info(String message) {
    out.println("heartlog: " + message);
  }

  /** Prints a problem unless one of the same kind was printed within {@link #REPEAT_AFTER}. */
  void problem(String kind, String message) {
    long now = clock.millis();
    Long previous = lastPrinted.get(kind);
    // A clock set back (NTP, a VM's host) is no reason to keep quiet for as long as it went back.
    if (previous != null && now >= previous && now - previous < REPEAT_AFTER.toMillis()) {
      return;
    }
    lastPrinted.put(kind, now);
    out.println("heartlog: " + message);
  }

  /** Forgets a problem kind, so the next one is printed at once (after a recovery). */
  void resolved(String kind) {
    lastPrinted.remove(kind);
  }
}
