package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Level;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link WandbLines} reads off the lines Weights & Biases' client prints. */
class WandbLinesTest {

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  @Test
  void aLineGivesItsLevelItsMessageAndWandbAsItsComponent() {
    WandbLines lines = new WandbLines(parser);

    ChildLineParser.Parsed warning = lines.parse("wandb: WARNING Tried to log to step 817 that is less than the current step 821.", "stderr");
    assertThat(warning.level()).isEqualTo(Level.WARNING);
    assertThat(warning.message()).isEqualTo("Tried to log to step 817 that is less than the current step 821.");
    assertThat(warning.metadata()).containsEntry("component", "wandb").containsEntry("stream", "stderr");
    assertThat(lines.parse("wandb: ERROR Run initialization has timed out after 90.0 sec.", "stderr").level())
        .isEqualTo(Level.ERROR);
    ChildLineParser.Parsed report = lines.parse("wandb: Currently logged in as: render-bot.", "stderr");
    assertThat(report.level()).as("a report at info, a warning on stderr before").isEqualTo(Level.INFO);
    assertThat(report.message()).isEqualTo("Currently logged in as: render-bot.");
    assertThat(report.levelByShape()).as("the lines after it keep the stream's level").isTrue();
    assertThat(lines.parse("wandb:", "stderr").message()).as("says nothing: no record once passed on").isEmpty();
  }

  @Test
  void aTablesRowsContinueItsHeadingsRecord() {
    WandbLines lines = new WandbLines(parser);

    lines.parse("wandb: Run history:", "stderr");
    assertThat(lines.continuesRecord()).isFalse();
    assertThat(lines.moreFollows()).isTrue();
    assertThat(lines.parse("wandb:   train/loss █▆▅▄▃▂▁", "stderr").message()).isEqualTo("  train/loss █▆▅▄▃▂▁");
    assertThat(lines.continuesRecord()).isTrue();
    lines.parse("wandb:", "stderr");
    assertThat(lines.continuesRecord()).as("the blank line ends the table").isFalse();
    lines.parse("wandb:   an indented line after it", "stderr");
    assertThat(lines.continuesRecord()).as("no heading above it").isFalse();
  }

  @Test
  void otherLinesAreNotWandbs() {
    WandbLines lines = new WandbLines(parser);

    assertThat(List.of("wandb:x", "wandbx: y", "Wandb: y", "INFO wandb: y", ""))
        .allSatisfy(line -> assertThat(lines.parse(line, "stderr")).as(line).isNull());
  }
}
