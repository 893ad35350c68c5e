package dev.heartlog.cli;

import dev.heartlog.agent.Level;

/**
 * How long heartlog run's line reader ({@link ChildLineParser}) takes to read one line, each line
 * given: 200,000 reads a round, 15 rounds, the best of the last 10 in nanoseconds a read. In this
 * package, to reach the reader; parse-timing.sh compiles it against a build's heartlog.jar, so
 * that two builds are timed alike (BENCHMARKS.md §7).
 */
public final class ParseTiming {

  private ParseTiming() {}

  public static void main(String[] lines) {
    ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);
    for (String line : lines) {
      double best = Double.MAX_VALUE;
      long read = 0;
      for (int round = 0; round < 15; round++) {
        long start = System.nanoTime();
        for (int i = 0; i < 200_000; i++) {
          read += parser.parse(line, Level.WARNING, "stderr").message().length();
        }
        double perRead = (System.nanoTime() - start) / 200_000.0;
        if (round >= 5) {
          best = Math.min(best, perRead);
        }
      }
      System.out.printf("%8.0f ns  %s%n", best, line);
      if (read == 42) {
        System.out.println();   // keeps the reads from being left out as unused
      }
    }
  }
}
