package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.agent.Level;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ComfyUI's failed node, as heartlog run stores it ({@link ComfyUiLines}). ComfyUI cannot be
 * installed here: a Python script (Debian's python3, which .ci/run installs) writes what its
 * execution.py writes when a node raises: the line and the traceback as two log calls with
 * ComfyUI's console format (the message alone, on stderr), and, as earlier versions did, as two
 * prints on stdout. The exception is PyTorch's CUDA error as it words it, a message of four lines.
 */
class ComfyUiLinesTest {

  private static final String CUDA_ERROR = "CUDA error: out of memory\\n"
      + "CUDA kernel errors might be asynchronously reported at some other API call, so the stacktrace below might be incorrect.\\n"
      + "For debugging consider passing CUDA_LAUNCH_BLOCKING=1\\n"
      + "Compile with `TORCH_USE_CUDA_DSA` to enable device-side assertions.\\n";

  @TempDir Path folder;

  @Test
  void aFailedNodeIsOneErrorWithItsTraceback() throws Exception {
    Store store = run("comfyui",
        "import logging, sys, time, traceback",
        "logging.basicConfig(format='%(message)s', level=logging.INFO)",
        "def sample():",
        "    raise RuntimeError('" + CUDA_ERROR + "')",
        "logging.info('got prompt')",
        "logging.info('Requested to load SDXL')",
        "logging.info('loaded completely; 3037.77 MB usable, 242.03 MB loaded, full load: True')",
        "try:",
        "    sample()",
        "except Exception as ex:",
        "    logging.error(f'!!! Exception during processing !!! {ex}')",
        "    time.sleep(0.1)   # Python formatting a long traceback on a busy machine",
        "    logging.error(traceback.format_exc())",
        "logging.info('Prompt executed in 0.42 seconds')",
        "time.sleep(0.3)",
        "try:",
        "    sample()",
        "except Exception as ex:",
        "    print('!!! Exception during processing !!!')",
        "    print(traceback.format_exc(), flush=True)");

    List<StoredRecord> errors = WrappedWorkers.records(store, "comfyui").stream()
        .filter(record -> record.level().equals("ERROR")).toList();
    // Before: the line a warning (INFO on stdout), three warnings of the message's further lines,
    // and the traceback an ERROR of its own.
    assertThat(errors).hasSize(2);
    assertThat(errors.get(0).message()).isEqualTo("!!! Exception during processing !!! CUDA error: out of memory\n"
        + "CUDA kernel errors might be asynchronously reported at some other API call, so the stacktrace below might be incorrect.\n"
        + "For debugging consider passing CUDA_LAUNCH_BLOCKING=1\n"
        + "Compile with `TORCH_USE_CUDA_DSA` to enable device-side assertions.");
    assertThat(errors.get(1).message()).isEqualTo("!!! Exception during processing !!!");
    assertThat(errors).allSatisfy(error -> assertThat(error.exception())
        .startsWith("Traceback (most recent call last):").contains("RuntimeError: CUDA error: out of memory"));
    assertThat(WrappedWorkers.records(store, "comfyui")).extracting(StoredRecord::message)
        .noneMatch(message -> message.startsWith("For debugging consider"));
    // ComfyUI's reports of its progress, at info: before, a warning each
    assertThat(WrappedWorkers.records(store, "comfyui")).filteredOn(record -> !record.message().startsWith("!!!")
            && !record.message().startsWith("heartlog run") && !record.message().startsWith("the worker process"))
        .extracting(StoredRecord::level, StoredRecord::message).containsExactly(
            tuple("INFO", "got prompt"),
            tuple("INFO", "Requested to load SDXL"),
            tuple("INFO", "loaded completely; 3037.77 MB usable, 242.03 MB loaded, full load: True"),
            tuple("INFO", "Prompt executed in 0.42 seconds"));
  }

  /** A workflow that names a model the worker does not have: ComfyUI's validation logs an error a line. */
  @Test
  void aPromptThatFailedValidationIsOneError() throws Exception {
    Store store = run("comfyui-validation",
        "import logging",
        "logging.basicConfig(format='%(message)s', level=logging.INFO)",
        "logging.info('got prompt')",
        "logging.error('Failed to validate prompt for output 9:')",
        "logging.error('* CheckpointLoaderSimple 4:')",
        "logging.error(\"  - Value not in list: ckpt_name: 'sdxl.safetensors' not in ['sd15.safetensors']\")",
        "logging.error('Output will be ignored')",
        "logging.warning('* the next prompt is queued')");

    // Before: four warnings.
    assertThat(WrappedWorkers.stderrRecords(store, "comfyui-validation")).extracting(StoredRecord::level, StoredRecord::message)
        .containsExactly(
            tuple("INFO", "got prompt"),
            tuple("ERROR", "Failed to validate prompt for output 9:\n* CheckpointLoaderSimple 4:\n"
                + "  - Value not in list: ckpt_name: 'sdxl.safetensors' not in ['sd15.safetensors']\nOutput will be ignored"),
            tuple("WARNING", "* the next prompt is queued"));
  }

  @Test
  void aValidationFailureGoesOnOnlyUntilAQuietMoment() {
    long quiet = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(200);
    long[] now = {0};
    ComfyUiLines lines = new ComfyUiLines(() -> now[0], quiet);

    assertThat(lines.parse("Failed to validate prompt for output 9:", "stderr")).isNotNull();
    assertThat(lines.moreFollows()).isTrue();
    assertThat(lines.parse("* CheckpointLoaderSimple 4:", "stderr")).isNotNull();
    assertThat(lines.continuesRecord()).isTrue();
    now[0] += quiet * 2;
    assertThat(lines.parse("  - a list item printed later", "stderr")).isNull();
    assertThat(lines.parse("Failed to validate the config", "stderr")).as("no output named").isNull();
  }

  @Test
  void aFailedNodesTracebackContinuesItsRecordWithinTheQuietPeriodOnly() {
    long quiet = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(200);
    long[] now = {0};
    ComfyUiLines lines = new ComfyUiLines(() -> now[0], quiet);

    assertThat(lines.parse("Traceback (most recent call last):", "stderr")).as("no failure before it").isNull();
    assertThat(lines.parse("!!! Exception during processing !!! CUDA error: out of memory", "stderr").level())
        .isEqualTo(Level.ERROR);
    assertThat(lines.parse("For debugging consider passing CUDA_LAUNCH_BLOCKING=1", "stderr")).isNull();
    now[0] += quiet / 2;
    assertThat(lines.parse("Traceback (most recent call last):", "stderr")).isNotNull();
    assertThat(lines.continuesRecord()).isTrue();
    assertThat(lines.moreFollows()).as("read by Tracebacks, as any").isFalse();
    assertThat(lines.parse("Traceback (most recent call last):", "stderr")).as("the failure's was taken").isNull();
    lines.parse("!!! Exception during processing !!!", "stdout");
    now[0] += quiet * 2;
    assertThat(lines.parse("Traceback (most recent call last):", "stdout")).as("after a quiet moment").isNull();
  }

  /** The store, after heartlog run of a Python script of these lines as {@code worker}, which exited 0. */
  private Store run(String worker, String... script) throws Exception {
    Path file = folder.resolve(worker + ".py");
    Files.writeString(file, String.join("\n", script) + "\n");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Cli.Result result = WrappedWorkers.heartlogRun(folder, worker, url, List.of(), "/usr/bin/python3", file.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    return store;
  }
}
