package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.agent.RecordMetadata;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch's device-side assert, as heartlog run stores what the CUDA runtime printed of it: a
 * line for every GPU thread that failed the assertion ({@link CudaAssertLines}). Before, each was
 * a warning of its own.
 */
class CudaAssertLinesTest {

  private static final String WHERE = "/pytorch/aten/src/ATen/native/cuda/IndexKernel.cu:92: operator()";
  private static final String ASSERTION = "Assertion `-sizes[i] <= index && index < sizes[i] && \"index out of bounds\"`"
      + " failed.";

  @TempDir Path folder;

  /**
   * 64 lines, then the traceback that says what they meant, in one write as PyTorch prints them:
   * the lines are 10 warnings and a count, and the traceback is the one error, the failure.
   */
  @Test
  void theLinesOfOneFailedAssertionAreAWarningCountedAsRepeats() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);

    Cli.Result result = WrappedWorkers.heartlogRun(folder, "device-assert", url, List.of(), "sh", "-c",
        "{ for t in $(seq 0 63); do printf '%s: block: [0,0,0], thread: [%s,0,0] %s\\n' \"$0\" \"$t\" \"$1\"; done;"
            + " printf 'Traceback (most recent call last):\\n  File \"w.py\", line 12, in <module>\\n"
            + "RuntimeError: CUDA error: device-side assert triggered\\n'; } >&2; exit 1",
        WHERE, ASSERTION);

    assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
    List<StoredRecord> records = WrappedWorkers.records(store, "device-assert");
    List<Tuple> expected = new ArrayList<>(Collections.nCopies(WorkerLines.REPEATS_RECORDED,
        tuple("WARNING", WHERE + ": " + ASSERTION)));
    expected.add(tuple("WARNING", "repeated " + (64 - WorkerLines.REPEATS_RECORDED) + " more times: " + WHERE + ": "
        + ASSERTION));
    assertThat(records).filteredOn(r -> r.message().contains("IndexKernel.cu"))
        .extracting(StoredRecord::level, StoredRecord::message)
        .containsExactlyElementsOf(expected);
    assertThat(records).filteredOn(r -> r.level().equals("ERROR")).extracting(StoredRecord::message)
        .containsExactly("RuntimeError: CUDA error: device-side assert triggered", "the worker process exited with code 1");
  }

  @Test
  void anAssertionOfCAndALineWithoutItsThreadAreNotACudaKernels() {
    assertThat(List.of(
            "worker: decode.c:42: decode: Assertion `frame != NULL' failed.",
            WHERE + ": " + ASSERTION,
            "frame 12: block: [0,0,0] is done; Assertion `x` failed."))
        .allSatisfy(line -> assertThat(CudaAssertLines.parse(line, new RecordMetadata(1))).as(line).isNull());
  }
}
