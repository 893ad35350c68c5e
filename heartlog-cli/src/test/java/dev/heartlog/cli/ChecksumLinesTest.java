package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.agent.RecordMetadata;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A downloaded model that fails its checksum, as heartlog run stores what coreutils' {@code
 * sha256sum -c} printed ({@link ChecksumLines}; Debian's coreutils, in every Debian). Before, the
 * failed file's line was INFO.
 */
class ChecksumLinesTest {

  @TempDir Path folder;

  @Test
  void aFileThatFailedItsChecksumIsAnError() throws Exception {
    Files.writeString(folder.resolve("config.json"), "{\"steps\": 30}\n");
    Files.writeString(folder.resolve("model.bin"), "weights");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    // the list's checksums are those of the files as published: model.bin's came down otherwise,
    // and tokenizer.json not at all
    Cli.Result result = WrappedWorkers.heartlogRun(folder, "checksum-failed", url, List.of(), "sh", "-c",
        "cd \"$0\" && sha256sum config.json > model.sha256"
            + " && echo '0000000000000000000000000000000000000000000000000000000000000000  model.bin' >> model.sha256"
            + " && echo '1111111111111111111111111111111111111111111111111111111111111111  tokenizer.json' >> model.sha256"
            + " && sha256sum -c model.sha256",
        folder.toString());

    assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
    List<StoredRecord> records = WrappedWorkers.records(store, "checksum-failed");
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).contains(
        tuple("INFO", "config.json: OK"),
        tuple("ERROR", "model.bin: FAILED"),
        tuple("ERROR", "tokenizer.json: FAILED open or read"),
        tuple("WARNING", "sha256sum: WARNING: 1 computed checksum did NOT match"));
  }

  @Test
  void aListWithoutChecksumsIsAnErrorOfItsProgram() {
    RecordMetadata metadata = new RecordMetadata(1);

    assertThat(ChecksumLines.parse("sha256sum: model.sha256: no properly formatted checksum lines found", metadata))
        .isNotNull();
    assertThat(metadata).containsEntry("component", "sha256sum");
  }

  @Test
  void linesThatOnlyEndSoAreNotAChecksumChecks() {
    assertThat(List.of("3 tests FAILED", ": FAILED", "upload of frame 12 FAILED",
        "worker: no properly formatted checksum lines found", "status: FAILED to start"))
        .allSatisfy(line -> assertThat(ChecksumLines.parse(line, new RecordMetadata(1))).as(line).isNull());
  }
}
