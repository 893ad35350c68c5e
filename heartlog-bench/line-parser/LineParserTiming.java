package dev.heartlog.cli;

import dev.heartlog.agent.Level;

/**
 * What {@code heartlog run}'s line parser costs a line of one shape, alone, without the pipe, the
 * echo or the store (BENCHMARKS.md §7): parses the line, or the mix of shapes below, the given
 * number of times in five rounds and prints the last round's nanoseconds a line. Compiled and
 * run against a build's jar by {@code heartlog-bench/line-parser.sh}, in this package because the
 * parser is the command line's own.
 */
public final class LineParserTiming {

  private static final String[] MIX = {
      "Frame 12/300 rendered in 17 ms", "WARNING render: disk almost full on /scratch", "[INFO] BUILD SUCCESS",
      "2026-12-03 09:57:28,855 INFO render - frame 7 done", "upload: frame 42: retrying in 17 ms",
      "ERROR rendering frame 12"};

  public static void main(String[] args) {
    int count = Integer.parseInt(args[0]);
    String[] lines = args.length > 1 ? new String[] {args[1]} : MIX;
    ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);
    long kept = 0;
    long nanos = 0;
    for (int round = 0; round < 5; round++) {   // the first rounds warm the JIT up
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        kept += parser.parse(lines[i % lines.length], Level.WARNING, "stderr").message().length();
      }
      nanos = System.nanoTime() - start;
    }
    System.out.println(nanos / count + (kept == 0 ? " (nothing parsed)" : ""));
  }
}
