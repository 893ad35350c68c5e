package dev.heartlog.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads timed in turns, so that a machine's slow minute falls on all of them alike: each runs
 * once untimed (its rows printed, a check that it reads what it should), then once a round in
 * turn with the others ({@link ErrorKindPageInTurns}, {@link RecordsAroundInTurns}).
 */
final class ReadsInTurns {

  private ReadsInTurns() {}

  /** Each read's times in nanoseconds, a round each, by its name, in the order given. */
  static Map<String, List<Long>> time(Map<String, Supplier<Integer>> reads, int rounds) {
    Map<String, List<Long>> nanos = new LinkedHashMap<>();
    reads.forEach((name, read) -> {
      System.out.println(name + ": " + read.get() + " rows");
      nanos.put(name, new ArrayList<>());
    });
    for (int round = 0; round < rounds; round++) {
      reads.forEach((name, read) -> {
        long started = System.nanoTime();
        read.get();
        nanos.get(name).add(System.nanoTime() - started);
      });
    }
    return nanos;
  }

  /** The time at {@code fraction} of the sorted times: the one of index {@code size * fraction}. */
  static double percentile(List<Long> nanos, double fraction) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * fraction)));
  }
}
