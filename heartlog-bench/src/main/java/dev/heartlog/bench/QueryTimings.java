package dev.heartlog.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;

/** How {@link QueryLoad} times its queries, and prints each as a table row of p50 and p95. */
final class QueryTimings {

  private QueryTimings() {}

  /** A query timed {@code samples} times after 20 uncounted runs; {@code query} gets the sample number. */
  static void time(String name, int samples, IntConsumer query) {
    for (int i = 0; i < 20; i++) {
      query.accept(i);  // warm-up: plans and pages
    }
    List<Long> nanos = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      long start = System.nanoTime();
      query.accept(i);
      nanos.add(System.nanoTime() - start);
    }
    printRow(name, nanos);
  }

  /** One table row: the p50 and p95 of the samples (sorted here). */
  private static void printRow(String name, List<Long> nanos) {
    Collections.sort(nanos);
    System.out.printf(Locale.ROOT, "| %s | %.2f ms | %.2f ms | %d samples |%n", name,
        nanos.get(nanos.size() / 2) / 1e6, nanos.get((int) (nanos.size() * 0.95)) / 1e6, nanos.size());
  }

  /** Two queries timed in turns, one sample of each after the other: the same minutes for both. */
  static void timeAlternately(int samples, String nameA, IntConsumer a, String nameB, IntConsumer b) {
    for (int i = 0; i < 20; i++) {
      a.accept(i);
      b.accept(i);
    }
    List<Long> nanosA = new ArrayList<>();
    List<Long> nanosB = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      long start = System.nanoTime();
      a.accept(i);
      long between = System.nanoTime();
      b.accept(i);
      nanosA.add(between - start);
      nanosB.add(System.nanoTime() - between);
    }
    printRow(nameA, nanosA);
    printRow(nameB, nanosB);
    System.out.printf(Locale.ROOT, "| ratio of the p50s | %.2f | | |%n",
        (double) nanosA.get(samples / 2) / nanosB.get(samples / 2));
  }

  /**
   * Two ways of running the same query timed in turns, each with its own random target (the one
   * run second must not find the other's pages just read), and each first in every other pair.
   */
  static void timeInTurns(int samples, String nameA, Runnable a, String nameB, Runnable b) {
    for (int i = 0; i < 20; i++) {
      a.run();
      b.run();
    }
    List<Long> nanosA = new ArrayList<>();
    List<Long> nanosB = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      boolean aFirst = i % 2 == 0;
      long start = System.nanoTime();
      (aFirst ? a : b).run();
      long between = System.nanoTime();
      (aFirst ? b : a).run();
      long end = System.nanoTime();
      nanosA.add(aFirst ? between - start : end - between);
      nanosB.add(aFirst ? end - between : between - start);
    }
    printRow(nameA, nanosA);
    printRow(nameB, nanosB);
    System.out.printf(Locale.ROOT, "| ratio of the p50s | %.2f | | |%n",
        (double) nanosA.get(samples / 2) / nanosB.get(samples / 2));
  }

  /** Drops the oldest day's partition, against DELETE of the same rows from a copy. */
}
