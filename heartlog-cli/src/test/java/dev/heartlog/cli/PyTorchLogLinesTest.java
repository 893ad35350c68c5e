package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Level;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link PyTorchLogLines} reads off the lines of PyTorch's loggers, and which lines are one record. */
class PyTorchLogLinesTest {

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  @Test
  void theNewerPrefixGivesTheLevelWhereItWasLoggedTheProcessAndTheCompilation() {
    PyTorchLogLines lines = new PyTorchLogLines(parser);

    ChildLineParser.Parsed parsed = lines.parse(
        "E1207 10:00:04.222000 1241 torch/_inductor/compile_fx.py:300] [1/0] Error while compiling graph", "stderr", null);

    assertThat(parsed.level()).isEqualTo(Level.ERROR);
    assertThat(parsed.message()).isEqualTo("Error while compiling graph");
    assertThat(parsed.metadata()).containsEntry("file", "torch/_inductor/compile_fx.py").containsEntry("line", 300)
        .containsEntry("pid", 1241L).containsEntry("compile_id", "1/0").containsEntry("stream", "stderr");
    assertThat(parsed.time()).as("no year, no zone: the line's arrival is the record's time").isNull();
    assertThat(List.of("V", "I", "W", "E", "C"))
        .extracting(letter -> lines.parse(letter + "1207 10:00:04.222000 1241 torch/x.py:1] m", "stderr", null).level())
        .containsExactly(Level.DEBUG, Level.INFO, Level.WARNING, Level.ERROR, Level.CRITICAL);
    ChildLineParser.Parsed guards = lines.parse(
        "V0214 07:00:49.354000 139646045393920 torch/_dynamo/guards.py:1023 [0/0] [__guards] GUARDS:", "stderr", null);
    assertThat(guards.message()).as("February 2024's first form: a thread, no bracket").isEqualTo("GUARDS:");
    assertThat(guards.metadata()).containsEntry("thread", 139646045393920L).containsEntry("artifact", "guards")
        .containsEntry("compile_id", "0/0").doesNotContainKey("pid");
    assertThat(lines.parse("W1207 10:00:00.123000 1234 torch/distributed/run.py:793]", "stderr", null).message())
        .as("an empty message, its space taken off with the line's end").isEmpty();
  }

  @Test
  void theOlderPrefixGivesTheLoggerTheLevelAndTheCompilation() {
    PyTorchLogLines lines = new PyTorchLogLines(parser);

    ChildLineParser.Parsed parsed = lines.parse("[2023-10-12 11:24:01,657] [12/0] torch._dynamo.symbolic_convert: [INFO] "
        + "Step 1: torchdynamo start tracing forward", "stderr", null);

    assertThat(parsed.level()).isEqualTo(Level.INFO);
    assertThat(parsed.message()).isEqualTo("Step 1: torchdynamo start tracing forward");
    assertThat(parsed.metadata()).containsEntry("logger", "torch._dynamo.symbolic_convert").containsEntry("compile_id", "12/0");
    assertThat(lines.parse("[2025-05-18 22:34:42,582] torch.distributed.run: [WARNING]", "stderr", null).message()).isEmpty();
  }

  @Test
  void otherLinesAreNotPyTorchs() {
    PyTorchLogLines lines = new PyTorchLogLines(parser);

    assertThat(List.of(
            "E1207 10:00:05.123456 4242 cuda_driver.cc:152] glog's, of C++: read by CppLoggerLines",
            "I1207 10:00:05.123456 140234567890 train.py:42] absl's, of Python: read by CppLoggerLines",
            "[2026-12-07 10:00:06,000] render.queue: [ERROR] another logger's: read by LoggerFormats",
            "[2026-12-07 10:00:06,000] torch.distributed.run: WARNING no brackets",
            "W1207 10:00:00.123000 1234 torch/distributed/run.py:793]x",
            "W1207 10:00:00.123 1234 torch/distributed/run.py:793] three digits",
            "WARNING:torch.distributed.run:Setting OMP_NUM_THREADS",
            "Traceback (most recent call last):",
            ""))
        .allSatisfy(line -> assertThat(lines.parse(line, "stderr", null)).as(line).isNull());
  }

  @Test
  void aLineContinuesTheRecordBeforeItWhereItRepeatsItsPrefixAndProcess() {
    PyTorchLogLines lines = new PyTorchLogLines(parser);
    String prefix = "E1207 10:00:04.222000 1241 torch/_inductor/compile_fx.py:300] [1/0] ";

    assertThat(continues(lines, prefix + "Error while compiling graph", "rank1")).isFalse();
    assertThat(lines.moreFollows()).as("any of its lines may be followed by more").isTrue();
    assertThat(continues(lines, prefix + "Traceback (most recent call last):", "rank1")).as("its traceback").isTrue();
    assertThat(continues(lines, prefix + "  File \"compile_fx.py\", line 290, in compile", "rank0"))
        .as("another rank's").isFalse();
    assertThat(continues(lines, "E1207 10:00:04.223000 1241 torch/_inductor/compile_fx.py:300] [1/0] x", "rank0"))
        .as("a millisecond later: a record of its own").isFalse();
    assertThat(continues(lines, "E1207 10:00:04.223000 1241 torch/_inductor/compile_fx.py:300] [1/0] y", "rank0")).isTrue();
    lines.parse("a line of another format", "stderr", "rank0");
    assertThat(continues(lines, "E1207 10:00:04.223000 1241 torch/_inductor/compile_fx.py:300] [1/0] z", "rank0"))
        .as("after a line of another format").isFalse();
    String older = "[2025-05-18 22:34:42,582] torch.distributed.run: [WARNING]";
    assertThat(continues(lines, older, null)).isFalse();
    assertThat(continues(lines, older + " *****************************************", null)).isTrue();
    assertThat(continues(lines, "[2025-05-18 22:34:42,582] torch.distributed.elastic: [WARNING] x", null))
        .as("another logger's").isFalse();
  }

  private static boolean continues(PyTorchLogLines lines, String line, String process) {
    assertThat(lines.parse(line, "stderr", process)).as(line).isNotNull();
    return lines.continuesRecord();
  }
}
