package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Level;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link LightningLines} reads off PyTorch Lightning's reports and its model's summary. */
class LightningLinesTest {

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  @Test
  void aReportIsInfoOfTheComponentLightningWithItsRank() {
    LightningLines lines = new LightningLines(parser);

    ChildLineParser.Parsed gpu = lines.parse("GPU available: True (cuda), used: True", "stderr");
    assertThat(gpu.level()).isEqualTo(Level.INFO);
    assertThat(gpu.levelByShape()).as("the lines after it keep the stream's level").isTrue();
    assertThat(gpu.message()).isEqualTo("GPU available: True (cuda), used: True");
    assertThat(gpu.metadata()).containsEntry("component", "lightning").containsEntry("stream", "stderr");
    ChildLineParser.Parsed seed = lines.parse("[rank: 1] Seed set to 42", "stderr");
    assertThat(seed.message()).isEqualTo("Seed set to 42");
    assertThat(seed.metadata()).containsEntry("rank", 1);
    assertThat(lines.parse("`Trainer.fit` stopped: `max_epochs=3` reached.", "stderr").level()).isEqualTo(Level.INFO);
  }

  @Test
  void theModelsSummaryIsOneRecord() {
    LightningLines lines = new LightningLines(parser);

    lines.parse("  | Name  | Type     | Params | Mode", "stderr");
    assertThat(lines.continuesRecord()).isFalse();
    assertThat(lines.moreFollows()).isTrue();
    assertThat(List.of("--------------------------------------------", "0 | model | BEMBFlex | 5.3 M  | train",
            "5.3 M     Trainable params", "0         Non-trainable params", "21.189    Total estimated model params size (MB)"))
        .allSatisfy(line -> {
          assertThat(lines.parse(line, "stderr")).as(line).isNotNull();
          assertThat(lines.continuesRecord()).as(line).isTrue();
        });
    assertThat(lines.parse("Epoch 0: 100%", "stderr")).as("the summary has ended").isNull();
    assertThat(lines.parse("0 | a row with no heading above it", "stderr")).isNull();
  }

  @Test
  void theBannerOnceEveryRankHasJoinedIsOneRecordWithoutItsRules() {
    LightningLines lines = new LightningLines(parser);
    String rule = "-".repeat(100);

    assertThat(lines.parse(rule, "stderr")).as("a rule of the worker's own").isNull();
    lines.parse("Initializing distributed: GLOBAL_RANK: 1, MEMBER: 2/2", "stderr");
    lines.parse("Initializing distributed: GLOBAL_RANK: 0, MEMBER: 1/2", "stderr");
    assertThat(lines.parse(rule, "stderr").message()).as("says nothing").isEmpty();
    assertThat(lines.moreFollows()).isFalse();
    ChildLineParser.Parsed backend = lines.parse("distributed_backend=nccl", "stderr");
    assertThat(backend.level()).isEqualTo(Level.INFO);
    assertThat(backend.metadata()).containsEntry("component", "lightning");
    assertThat(lines.continuesRecord()).isFalse();
    assertThat(lines.moreFollows()).isTrue();
    assertThat(lines.parse("All distributed processes registered. Starting with 2 processes", "stderr").message())
        .isEqualTo("All distributed processes registered. Starting with 2 processes");
    assertThat(lines.continuesRecord()).isTrue();
    assertThat(lines.moreFollows()).as("its last line").isFalse();
    assertThat(lines.parse(rule, "stderr").message()).isEmpty();
    assertThat(lines.parse(rule, "stderr")).as("the banner is over").isNull();
    assertThat(lines.parse("distributed_backend=gloo", "stderr")).as("no banner").isNull();
  }

  @Test
  void otherLinesAreNotLightnings() {
    LightningLines lines = new LightningLines(parser);

    assertThat(List.of("GPU available? yes", "[rank: x] Seed set to 42", "[rank: 0] a line of the worker's own",
            "  File \"train.py\", line 3, in <module>", "  | Name of the worker", "Seeding the queue", ""))
        .allSatisfy(line -> assertThat(lines.parse(line, "stderr")).as(line).isNull());
  }
}
