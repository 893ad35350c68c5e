package dev.heartlog.cli;

import dev.heartlog.store.Store;
import dev.heartlog.store.WorkerHealth;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the reader of a range of times should know of the clocks that stamped its records. A
 * record carries its worker's time, so the records of a worker whose clock runs 3 hours behind
 * sit 3 hours back: {@code --since 10m} lists none of them, and {@code tasks --failed} misses the
 * task whose error fleet health counts. Said on stderr, where a clock is a minute or more off:
 * less does not move a record out of any range worth asking.
 */
final class SkewedClocks {

  static final Duration NOTABLE = WorkerHealth.RANGE_SKEW;
  private static final int NAMED = 3;

  private SkewedClocks() {}

  /**
   * Says whose clocks put their records off a range asked of {@code worker}, or of the whole
   * fleet where it is null: records carry their workers' own times.
   */
  static void note(Store store, String worker, PrintWriter err) {
    if (worker == null) {
      noteFleet(store, err);
    } else {
      noteWorker(store, worker, err);
    }
  }

  /** Says which workers' clocks put their records off a range asked of the whole fleet. */
  static void noteFleet(Store store, PrintWriter err) {
    Map<String, Long> skews = store.skewedClocks(NOTABLE);
    if (skews.isEmpty()) {
      return;
    }
    String named = skews.entrySet().stream().limit(NAMED)
        .map(skew -> RecordText.printable(skew.getKey()) + " (" + RecordText.skew(skew.getValue()) + ")").collect(Collectors.joining(", "));
    String more = skews.size() > NAMED ? " and " + (skews.size() - NAMED) + " more" : "";
    err.println(skews.size() == 1
        ? "heartlog: 1 worker's clock is a minute or more off the store's, so its records sit as far off this range: "
            + named + "; heartlog workers lists clocks"
        : "heartlog: " + skews.size() + " workers' clocks are a minute or more off the store's, so their records sit as far"
            + " off this range: " + named + more + "; heartlog workers lists clocks");
  }

  /** Says when one worker's clock puts its records off a range asked of it. */
  static void noteWorker(Store store, String worker, PrintWriter err) {
    store.workerHealth(worker)
        .filter(health -> health.clockSkewMs() != null && Math.abs(health.clockSkewMs()) >= NOTABLE.toMillis())
        .map(WorkerHealth::clockSkewMs)
        .ifPresent(skewMs -> {
          String off = RecordText.skew(skewMs);
          err.println("heartlog: " + worker + "'s clock is " + off + (skewMs < 0 ? " the store's" : " of the store's")
              + "; its records carry its own times, so what it logged in that range is stamped "
              + off.replace(" behind", " earlier").replace(" ahead", " later"));
        });
  }
}
