package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A stream's tracebacks, apart for each process that names itself in front of its lines. */
class ProcessTracebacksTest {

  private final List<String> recorded = new ArrayList<>();
  private final ProcessTracebacks tracebacks = new ProcessTracebacks(
      (at, level, message, task, metadata) -> recorded.add(message + " " + metadata.getOrDefault("exception", "-")), 200, 10_000);
  private long nanos;

  private void print(Tracebacks to, String text) {
    to.line(new Tracebacks.Line(Instant.EPOCH, Level.WARNING, text, null, Map.of("stream", "stderr"), nanos++), text);
  }

  @Test
  void eachProcesssTracebackIsReadApartFromTheOthersLinesBetweenItsLines() {
    tracebacks.reading(true, nanos, false);
    for (String line : List.of("Traceback (most recent call last):", "  File \"train.py\", line 3, in <module>")) {
      print(tracebacks.of("rank0"), line);
      print(tracebacks.of("rank1"), line);
    }
    print(tracebacks.of("rank0"), "RuntimeError: rank 0's");
    print(tracebacks.unnamed(), "E1203 12:40:05.000000 123 api.py:869] failed (exitcode: 1)");
    print(tracebacks.of("rank1"), "RuntimeError: rank 1's");
    tracebacks.reading(false, nanos, false);
    tracebacks.end();

    String frames = "Traceback (most recent call last):\n  File \"train.py\", line 3, in <module>\n";
    assertThat(recorded).containsExactlyInAnyOrder(
        "RuntimeError: rank 0's " + frames + "RuntimeError: rank 0's",
        "RuntimeError: rank 1's " + frames + "RuntimeError: rank 1's",
        "E1203 12:40:05.000000 123 api.py:869] failed (exitcode: 1) -");
  }

  @Test
  void theProcessThatPrintedLongestAgoIsLetGoPastSixteenAndWhatItHeldIsRecorded() {
    for (int process = 0; process < ProcessTracebacks.MOST_PROCESSES; process++) {
      print(tracebacks.of("pid=" + process), "Traceback (most recent call last):");
      print(tracebacks.of("pid=" + process), "  File \"worker.py\", line " + process + ", in run");
    }
    print(tracebacks.of("pid=0"), "    run()");   // pid=1 is now the one printed longest ago
    assertThat(recorded).isEmpty();

    print(tracebacks.of("pid=16"), "Traceback (most recent call last):");

    assertThat(recorded).as("pid=1's, held, recorded as it was let go").singleElement().asString()
        .contains("line 1, in run").doesNotContain("line 0,", "line 2,");
    tracebacks.end();
    assertThat(recorded).hasSize(ProcessTracebacks.MOST_PROCESSES + 1);
  }
}
