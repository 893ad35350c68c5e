package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Level;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Lines of a time, a level and a message, as workers format Python's logging and Logback
 * ({@link LoggerFormats#timeThenLevel}), read by {@link ChildLineParser}.
 */
class TimeThenLevelLinesTest {

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  private ChildLineParser.Parsed parse(String line) {
    return parser.parse(line, Level.WARNING, "stderr");
  }

  @Test
  void theLevelIsTheLinesAndTheMessageWhatFollowsIt() {
    assertThat(List.of(
            "2026-12-03 09:57:28,855 INFO render: frame 7 done",             // %(asctime)s %(levelname)s %(name)s: ...
            "2026-12-03 09:57:28,855 [INFO] render: frame 7 done",           // %(asctime)s [%(levelname)s] ...
            "2026-12-03 09:57:28,855 | INFO     | render: frame 7 done",     // %(asctime)s | %(levelname)-8s | ...
            "[2026-12-03 09:57:28,855] INFO: render: frame 7 done",          // [%(asctime)s] %(levelname)s: ...
            "2026-12-03 09:57:28 INFO  render: frame 7 done",                // datefmt of seconds, Logback's %-5level
            "2026-12-03T09:57:28.855 INFO render: frame 7 done"))
        .allSatisfy(line -> {
          ChildLineParser.Parsed parsed = parse(line);
          assertThat(parsed.level()).as(line).isEqualTo(Level.INFO);
          assertThat(parsed.message()).as(line).isEqualTo("render: frame 7 done");
          assertThat(parsed.ownLevel()).isTrue();
          assertThat(parsed.time()).as("no zone: the time the line came").isNull();
        });
    assertThat(List.of("TRACE", "DEBUG", "WARN", "WARNING", "ERROR", "CRITICAL", "FATAL"))
        .extracting(level -> parse("2026-12-03 09:57:28,855 " + level + " x").level())
        .containsExactly(Level.DEBUG, Level.DEBUG, Level.WARNING, Level.WARNING, Level.ERROR, Level.CRITICAL,
            Level.CRITICAL);
  }

  @Test
  void aLineOfAnotherShapeIsKeptWholeAtTheLevelItNamesNearItsStart() {
    assertThat(List.of(
            "2026-12-03 09:57:28,855 NOTICE render: a level of the worker's own",
            "2026-12-03 09:57:28,855 [main] INFO com.example.Worker - the thread first",
            "2026-12-03 09:57 INFO no seconds",
            "2026-12-03 09:57:28,855 INFORMATIONAL x",
            "2026-12-03 09:57:28,855 INFO "))
        .allSatisfy(line -> assertThat(parse(line).message()).as(line).isEqualTo(line));
    assertThat(parse("2026-12-03 09:57:28,855 [main] INFO com.example.Worker - the thread first").level())
        .isEqualTo(Level.INFO);
  }
}
