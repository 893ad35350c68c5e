package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.agent.Level;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nvidia-smi's failures, as heartlog run stores them ({@link NvidiaSmiLines}). No machine here
 * has a GPU to fail: the lines are printed as the fixtures ({@code Failed to initialize NVML:
 * Unknown Error}) and public reports give them. Before, each was INFO on stdout.
 */
class NvidiaSmiLinesTest {

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  @TempDir Path folder;

  @Test
  void aMachineThatLostItsGpuSaysSoInErrors() {
    List<String> failures = List.of(
        "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA "
            + "driver is installed and running.",
        "Failed to initialize NVML: Unknown Error",
        "Failed to initialize NVML: Driver/library version mismatch",
        "Unable to determine the device handle for GPU0000:07:00.0: Unknown Error",
        "Unable to determine the device handle for GPU 0000:02:00.0: GPU is lost. Reboot the system to recover this GPU",
        "No devices were found");

    assertThat(failures).allSatisfy(line -> {
      ChildLineParser.Parsed parsed = parser.parse(line, Level.INFO, "stdout");
      assertThat(parsed.level()).isEqualTo(Level.ERROR);
      assertThat(parsed.message()).isEqualTo(line);
      assertThat(parsed.metadata()).containsEntry("component", "nvidia-smi");
    });
  }

  @Test
  void linesThatOnlyBeginSoKeepTheirLevel() {
    assertThat(List.of("No devices were found in the render queue", "Failed to initialize the compositor, retrying",
        "Unable to determine the frame rate, assuming 24"))
        .allSatisfy(line -> assertThat(parser.parse(line, Level.INFO, "stdout").metadata()).doesNotContainKey("component"));
  }

  /** The mismatch's error and the library's version below it, written together, are one record. */
  @Test
  void theVersionMismatchAndTheLibrarysVersionAreOneError() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Cli.Result result = WrappedWorkers.heartlogRun(folder, "smi-mismatch", url, List.of(), "sh", "-c",
        "printf 'Failed to initialize NVML: Driver/library version mismatch\\nNVML library version: 535.183\\n'; exit 18");

    assertThat(result.exitCode()).as(result.err()).isEqualTo(18);
    assertThat(WrappedWorkers.records(store, "smi-mismatch")).extracting(StoredRecord::level, StoredRecord::message)
        .contains(tuple("ERROR", "Failed to initialize NVML: Driver/library version mismatch\nNVML library version: 535.183"))
        .noneMatch(record -> record.toList().get(1).equals("NVML library version: 535.183"));
  }
}
