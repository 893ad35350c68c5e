package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import dev.heartlog.store.StoredRecord;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * apt's lines on stderr, as heartlog run stores them ({@link AptLines}). The replayed lines are
 * what Debian 12's apt 2.6.1 printed there asked for a package it does not know, a version it
 * does not have, an update from a mirror that refused the connection, and {@code apt}'s own
 * warning to scripts.
 */
class AptLinesTest {

  @TempDir Path folder;

  @Test
  void itsErrorsAreErrorsAndItsWarningsWarningsWithoutTheirLetter() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "apt-2.6.1.txt", "apt-replayed");

    // Before, each was a warning, the message beginning "E: ".
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("ERROR", "Unable to locate package nosuchpkg-heartlog-zz"),
        tuple("ERROR", "Version '9.9' for 'cowsay' was not found"),
        tuple("WARNING", "Failed to fetch http://127.0.0.1:9/debian/dists/bookworm/InRelease  Could not connect to "
            + "127.0.0.1:9 (127.0.0.1). - connect (111: Connection refused)"),
        tuple("WARNING", "Some index files failed to download. They have been ignored, or old ones used instead."),
        tuple("WARNING", "apt does not have a stable CLI interface. Use with caution in scripts."));
    assertThat(records.get(0).metadataJson()).contains("\"component\": \"apt\"");
  }

  @Test
  void aLineOfTheWorkersThatOnlyBeginsSoIsNotApts() {
    assertThat(AptLines.parse("N: 3 frames left", new RecordMetadata(1))).isNull();
    assertThat(AptLines.parse("E:", new RecordMetadata(1))).isNull();
    assertThat(AptLines.parse("X: Unable to do it", new RecordMetadata(1))).isNull();
    assertThat(AptLines.parse("N: Ignoring file 'x' in directory '/etc/apt/sources.list.d/'", new RecordMetadata(1)).level())
        .isEqualTo(Level.INFO);
  }
}
