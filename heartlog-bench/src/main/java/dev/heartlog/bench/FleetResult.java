package dev.heartlog.bench;

import java.util.Locale;

/**
 * One fleet size's run of {@link FleetLoad}: its rates, heartbeat latency and backlog, and whether
 * the fleet was sustained.
 */
record FleetResult(String kind, int workers, double loggedPerSecond, double storedPerSecond, double heartbeatsPerSecond,
    long p50, long p99, long max, long callP99, long heldAtStart, long heldAtEnd, long dropped, long sent,
    long stored) {

  FleetResult withStored(long sent, long stored) {
    return new FleetResult(kind, workers, loggedPerSecond, storedPerSecond, heartbeatsPerSecond, p50, p99, max, callP99,
        heldAtStart, heldAtEnd, dropped, sent, stored);
  }

  /** p99 under 1 s, nothing dropped, and memory not growing (10% of noise allowed). */
  boolean sustained() {
    return p99 < 1_000_000_000L && dropped == 0 && heldAtEnd <= heldAtStart * 1.1 + 1_000;
  }

  String line() {
    return String.format(Locale.ROOT,
        "| %s | %,d | %,.0f | %,.0f | %,.0f | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %,d → %,d | %,d | %,d = %,d | %s |",
        kind, workers, loggedPerSecond, storedPerSecond, heartbeatsPerSecond, p50 / 1e6, p99 / 1e6, max / 1e6,
        callP99 / 1e6, heldAtStart, heldAtEnd, dropped, sent, stored, sustained() ? "yes" : "no");
  }
}
