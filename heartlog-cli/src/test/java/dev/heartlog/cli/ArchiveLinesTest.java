package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.agent.Level;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A download that will not unpack, as heartlog run stores what the archive tools printed ({@link
 * ArchiveLines}): Debian's tar and gzip run for real (both are in every Debian), and what bzip2,
 * xz and unzip printed replayed (Debian 12's bzip2 1.0.8, xz-utils 5.4.1 and unzip 6.0). Before,
 * each line was a warning of its own, three to seven for one failure.
 */
class ArchiveLinesTest {

  private static final long QUIET = TimeUnit.MILLISECONDS.toNanos(200);

  @TempDir Path folder;

  @Test
  void aTruncatedArchiveIsOneErrorOfTheDecompressorAndTar() throws Exception {
    Path archive = archiveOfOneFile();
    byte[] whole = Files.readAllBytes(archive);
    Files.write(folder.resolve("model.tar.gz"), Arrays.copyOf(whole, whole.length / 2));   // the download broke off

    List<StoredRecord> records = stderrOf("tar-truncated", "tar xzf model.tar.gz -C out", 2);

    assertThat(records).singleElement().satisfies(record -> {
      assertThat(record.level()).isEqualTo("ERROR");
      assertThat(record.message()).startsWith("gzip: stdin: unexpected end of file\ntar: Unexpected EOF in archive\n")
          .endsWith("\ntar: Error is not recoverable: exiting now");
      assertThat(record.metadataJson()).contains("\"component\": \"gzip\"");
    });
  }

  /** What a download saves when its URL answers with an error page rather than the archive. */
  @Test
  void anErrorPageSavedAsTheArchiveIsOneError() throws Exception {
    Files.writeString(folder.resolve("model.tar.gz"), "<html><body>404 Not Found</body></html>\n");

    List<StoredRecord> records = stderrOf("tar-error-page", "tar xzf model.tar.gz -C out", 2);

    assertThat(records).singleElement().satisfies(record -> {
      assertThat(record.level()).isEqualTo("ERROR");
      assertThat(record.message()).isEqualTo("gzip: stdin: not in gzip format\ntar: Child returned status 1\n"
          + "tar: Error is not recoverable: exiting now");
    });
  }

  @Test
  void aFileNotInTheArchiveIsOneErrorOfTarAndTheLinesAfterItAreTheirOwn() throws Exception {
    archiveOfOneFile();

    List<StoredRecord> records = stderrOf("tar-no-member",
        "tar xzf model.tar.gz -C out config.json; echo 'falling back to the default model' >&2", 0);

    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("ERROR", "tar: config.json: Not found in archive\n"
            + "tar: Exiting with failure status due to previous errors"),
        tuple("WARNING", "falling back to the default model"));
    assertThat(records.get(0).metadataJson()).contains("\"component\": \"tar\"");
  }

  /** A worker that archives its outputs by their absolute paths: tar's note with every archive. */
  @Test
  void tarsNoteThatItStoresAbsolutePathsAsRelativeOnesIsInfo() throws Exception {
    archiveOfOneFile();

    List<StoredRecord> records = stderrOf("tar-absolute", "tar czf outputs.tgz \"$PWD/weights.bin\"; echo 'uploading outputs' >&2", 0);

    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "tar: Removing leading `/' from member names"),
        tuple("WARNING", "uploading outputs"));
    assertThat(records.get(0).metadataJson()).contains("\"component\": \"tar\"");
  }

  @Test
  void unzipsErrorAboutAFileThatIsNoZipIsOneError() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "unzip-6.0-not-a-zip.txt", "unzip-replayed");

    assertThat(records).singleElement().satisfies(record -> {
      assertThat(record.level()).as("the archive's name, a warning, and the error below it").isEqualTo("ERROR");
      assertThat(record.message()).startsWith("[page.zip]\n  End-of-central-directory signature not found.")
          .endsWith("\n        page.zip.zip, and cannot find page.zip.ZIP, period.");
      assertThat(record.message().lines()).hasSize(7);
      assertThat(record.metadataJson()).contains("\"component\": \"unzip\"");
    });
  }

  @Test
  void bzip2sErrorItsAdviceAndTarsLinesAreOneError() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "bzip2-1.0.8-truncated-in-tar.txt", "bzip2-replayed");

    assertThat(records).singleElement().satisfies(record -> {
      assertThat(record.level()).isEqualTo("ERROR");
      assertThat(record.message()).startsWith("bzip2: Compressed file ends unexpectedly;\n\tperhaps it is corrupted?")
          .contains("\nYou can use the `bzip2recover' program to attempt to recover\n")
          .endsWith("\ntar: Child returned status 2\ntar: Error is not recoverable: exiting now");
    });
  }

  @Test
  void xzsErrorAndTarsLinesAreOneError() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "xz-5.4.1-corrupt-in-tar.txt", "xz-replayed");

    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("ERROR", "xz: (stdin): Compressed data is corrupt\ntar: Unexpected EOF in archive\n"
            + "tar: Unexpected EOF in archive\ntar: Error is not recoverable: exiting now"));
  }

  @Test
  void linesThatOnlyLookSoAreNotAnArchiveToolsErrors() {
    ArchiveLines lines = new ArchiveLines(() -> 0, QUIET);

    assertThat(lines.parse("tar: Removing leading `/' from member names", "stderr").level()).as("a note").isEqualTo(Level.INFO);
    assertThat(lines.moreFollows()).isFalse();
    assertThat(lines.parse("tar: frames.tar: file changed as we read it", "stderr")).as("a warning").isNull();
    assertThat(lines.parse("gzip: compressed 12 frames", "stderr")).isNull();
    assertThat(lines.parse("unzip: extracted 3 files", "stderr")).as("one space: not unzip's").isNull();
    assertThat(lines.parse("[rank0]: loading model.zip", "stderr")).isNull();
    assertThat(lines.parse("zstd: weights.zst: unsupported format", "stderr").level()).isEqualTo(Level.ERROR);
    assertThat(lines.parse("gzip: model.gz: No such file or directory", "stderr").level()).isEqualTo(Level.ERROR);
  }

  @Test
  void anErrorGoesOnOnlyUntilAQuietMoment() {
    long[] now = {0};
    ArchiveLines lines = new ArchiveLines(() -> now[0], QUIET);

    assertThat(lines.parse("gzip: a.gz: unexpected end of file", "stderr")).isNotNull();
    assertThat(lines.moreFollows()).isTrue();
    now[0] += QUIET / 2;
    assertThat(lines.parse("", "stderr")).as("gzip's blank line before its next error").isNotNull();
    assertThat(lines.continuesRecord()).isTrue();
    assertThat(lines.parse("gzip: b.gz: unexpected end of file", "stderr")).isNotNull();
    assertThat(lines.continuesRecord()).isTrue();
    now[0] += QUIET * 2;
    assertThat(lines.parse("", "stderr")).as("a blank line after a quiet moment").isNull();
    assertThat(lines.parse("tar: Child returned status 1", "stderr")).isNotNull();
    assertThat(lines.continuesRecord()).as("begins an error of its own").isFalse();
    assertThat(lines.parse("tar: Error is not recoverable: exiting now", "stderr")).isNotNull();
    assertThat(lines.continuesRecord()).isTrue();
    assertThat(lines.moreFollows()).as("tar's last line").isFalse();
    assertThat(lines.parse("", "stderr")).as("nothing open").isNull();
    assertThat(lines.parse("[results.zip]", "stderr").level()).isEqualTo(Level.WARNING);
    assertThat(lines.parse("retrying the download", "stderr")).as("no error of unzip's followed").isNull();
  }

  /** model.tar.gz in the test's folder, made by the real tar, with one file; an empty folder out to unpack into. */
  private Path archiveOfOneFile() throws Exception {
    byte[] weights = new byte[256 * 1024];
    new Random(7).nextBytes(weights);   // no better compressed than real weights
    Files.write(folder.resolve("weights.bin"), weights);
    Files.createDirectories(folder.resolve("out"));
    Process tar = new ProcessBuilder("tar", "czf", "model.tar.gz", "weights.bin").directory(folder.toFile())
        .inheritIO().start();
    assertThat(tar.waitFor()).as("tar czf").isZero();
    return folder.resolve("model.tar.gz");
  }

  /** The records of the stderr lines of a script run in the test's folder under heartlog run. */
  private List<StoredRecord> stderrOf(String worker, String script, int exitCode) throws Exception {
    Files.createDirectories(folder.resolve("out"));
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Cli.Result result = WrappedWorkers.heartlogRun(folder, worker, url, List.of(), "sh", "-c",
        "cd \"$0\" && " + script, folder.toString());
    assertThat(result.exitCode()).as(result.err()).isEqualTo(exitCode);
    return WrappedWorkers.stderrRecords(store, worker).stream()
        .filter(record -> !record.message().startsWith("the worker process exited")).toList();
  }
}
