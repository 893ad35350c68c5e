package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.agent.RecordMetadata;
import dev.heartlog.store.StoredRecord;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pip's lines on stderr, as heartlog run stores them ({@link PipLines}, {@link
 * PythonLoggingLines#basic}). The replayed lines are what pip 23.2.1 (Python 3.11.7) printed there
 * installing a wheel as root, then a package no index has, then one whose setup.py fails as
 * flash-attn's does without CUDA.
 */
class PipLinesTest {

  @TempDir Path folder;

  @Test
  void itsLevelsAreReadWithoutTheirPrefixesAndAFailedBuildsBoxIsAnErrorWithTheBuildersTraceback() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "pip-23.2.1.txt", "pip-replayed");

    // Before, the messages kept "WARNING: " and "ERROR: ", and the first box was a warning.
    assertThat(records).extracting(StoredRecord::level, record -> record.message().lines().findFirst().orElse(""))
        .containsExactly(
            tuple("WARNING", "Running pip as the 'root' user can result in broken permissions and conflicting behaviour "
                + "with the system package manager. It is recommended to use a virtual environment instead: "
                + "https://pip.pypa.io/warnings/venv"),
            tuple("ERROR", "Could not find a version that satisfies the requirement nosuchpkg (from versions: none)"),
            tuple("ERROR", "No matching distribution found for nosuchpkg"),
            tuple("ERROR", "subprocess-exited-with-error"),
            tuple("ERROR", "metadata-generation-failed"));
    assertThat(records.get(3).message()).contains("× Preparing metadata (pyproject.toml) did not run successfully.",
        "RuntimeError: CUDA_HOME is not set: cannot build the extension", "[end of output]",
        "note: This error originates from a subprocess, and is likely not a problem with pip.");
    assertThat(records.get(3).metadataJson()).contains("\"component\": \"pip\"");
    // its last line a hint, which stays in the box, not a record of git's hints
    assertThat(records.get(4).message()).endsWith("note: This is an issue with the package mentioned above, not pip.\n"
        + "hint: See above for details.");
  }

  /** What pip 23.2.1 printed on stderr installing a package already there, a newer pip being out. */
  @Test
  void itsNoticeOfANewerPipIsInfo() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "pip-23.2.1-notice.txt", "pip-notice");

    // Before, the two notices were warnings, "[notice] " in front.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).endsWith(
        tuple("INFO", "A new release of pip is available: 23.2.1 -> 26.2.1"),
        tuple("INFO", "To update, run: pip install --upgrade pip"));
    assertThat(records).filteredOn(record -> record.level().equals("WARNING")).hasSize(2);
    assertThat(records.get(records.size() - 1).metadataJson()).contains("\"component\": \"pip\"");
    assertThat(PipLines.notice("[notice] cache warmed", new RecordMetadata(1))).as("another program's").isNull();
  }
}
