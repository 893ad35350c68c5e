package dev.heartlog.cli;

import dev.heartlog.agent.Level;

/**
 * How long heartlog run's line reader ({@link ChildLineParser}) takes to read one line, each line
 * given: 200,000 reads a round, 15 rounds, the best of the last 10 in nanoseconds a read. In this
 * package, to reach the reader; parse-timing.sh compiles it against a build's heartlog.jar, so
 * that two builds are timed alike (BENCHMARKS.md §7). The environment's {@code
 * PARSE_TIMING_LINE_FORMAT}, where set, is the reader's {@code --line-format}; {@code
 * PARSE_TIMING_READER=llama.cpp} times {@link LlamaCppLines}, which a stream's lines meet before
 * that reader, instead (a build that has it); {@code PARSE_TIMING_READER=process}, {@link
 * VllmLines#process}, which reads the process a line names in front of it, before any reader.
 */
public final class ParseTiming {

  private ParseTiming() {}

  public static void main(String[] lines) {
    String format = System.getenv().getOrDefault("PARSE_TIMING_LINE_FORMAT", ChildLineParser.SEED_FORMAT);
    ChildLineParser parser = new ChildLineParser(format, ChildLineParser.DEFAULT_TASK_END);
    String reader = System.getenv().getOrDefault("PARSE_TIMING_READER", "");
    VllmLines processes = new VllmLines(parser);
    for (String line : lines) {
      double best = Double.MAX_VALUE;
      long read = 0;
      for (int round = 0; round < 15; round++) {
        long start = System.nanoTime();
        for (int i = 0; i < 200_000; i++) {
          read += switch (reader) {
            case "llama.cpp" -> readByLlamaCpp(line);
            case "process" -> processes.process(line) == null ? 0 : 1;
            default -> parser.parse(line, Level.WARNING, "stderr").message().length();
          };
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

  private static final LlamaCppLines LLAMA_CPP = new LlamaCppLines();

  /** What {@link LlamaCppLines} makes of the line: its message's length, or 0 where it is none of its. */
  private static int readByLlamaCpp(String line) {
    ChildLineParser.Parsed parsed = LLAMA_CPP.parse(line, "stderr");
    return parsed == null ? 0 : parsed.message().length();
  }
}
