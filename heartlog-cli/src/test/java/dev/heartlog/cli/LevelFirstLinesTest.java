package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Level;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Lines that begin with their level and give no time, as workers format Python's logging without
 * {@code %(asctime)s} (a container's runtime stamps the time) and as Maven prints
 * ({@link LoggerFormats#levelFirst}), and Python's {@code %(name)s - %(levelname)s - %(message)s},
 * read by {@link ChildLineParser}.
 */
class LevelFirstLinesTest {

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  private ChildLineParser.Parsed parse(String line) {
    return parser.parse(line, Level.INFO, "stdout");
  }

  @Test
  void theLevelIsTheLinesAndTheMessageWhatFollowsItAndTheLogger() {
    Map<String, String> loggers = Map.of(
        "[WARNING] disk almost full", "",                       // [%(levelname)s] %(message)s; Maven's [WARNING] ...
        "[WARNING] - disk almost full", "",                     // Hydra's documented [%(levelname)s] - %(message)s
        "WARNING - disk almost full", "",                       // %(levelname)s - %(message)s
        "WARNING [render] disk almost full", "render",          // %(levelname)s [%(name)s] %(message)s
        "WARNING render - disk almost full", "render",          // %(levelname)s %(name)s - %(message)s
        "render - WARNING - disk almost full", "render");       // %(name)s - %(levelname)s - %(message)s
    loggers.forEach((line, logger) -> {
      ChildLineParser.Parsed parsed = parse(line);
      assertThat(parsed.level()).as(line).isEqualTo(Level.WARNING);
      assertThat(parsed.message()).as(line).isEqualTo("disk almost full");
      assertThat(parsed.ownLevel()).as(line).isTrue();
      assertThat(parsed.metadata().get("logger")).as(line).isEqualTo(logger.isEmpty() ? null : logger);
    });
    ChildLineParser.Parsed java = parse("WARN  [render-1] com.example.Render - VRAM at 95%");
    assertThat(java.message()).isEqualTo("VRAM at 95%");
    assertThat(java.metadata()).containsEntry("logger", "com.example.Render").containsEntry("thread", "render-1");
  }

  @Test
  void aNameAndAColonAfterTheLevelStayInTheMessageAsAfterATimeAndALevel() {
    // %(levelname)s %(name)s: %(message)s; the name cannot be told from a message's first word
    ChildLineParser.Parsed parsed = parse("ERROR renderer: frame 12 failed");
    assertThat(parsed.level()).isEqualTo(Level.ERROR);
    assertThat(parsed.message()).isEqualTo("renderer: frame 12 failed");
    assertThat(parsed.metadata()).doesNotContainKey("logger");
  }

  @Test
  void aLevelsWordBeforeOtherWordsIsNoPrefixAndTheLineStaysWhole() {
    assertThat(List.of("ERROR rendering frame 12", "INFORMATION follows", "WARNINGS: 3", "[WARNING]", "[WARNING]disk",
            "Error - lower case"))
        .allSatisfy(line -> assertThat(parse(line).message()).as(line).isEqualTo(line));
    assertThat(parse("ERROR rendering frame 12").level()).as("still the level it names near its start").isEqualTo(Level.ERROR);
  }
}
