package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.store.StoredRecord;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * npm's lines on stderr, as heartlog run stores them ({@link NpmLines}). The replayed lines are
 * what npm printed there: 11.19.1 (Node.js's own) asked for a package the registry does not have,
 * given an option it does not know, and installing a package whose install script fails; 9.9.4
 * (from the registry, by npx) asked for the missing package.
 */
class NpmLinesTest {

  @TempDir Path folder;

  @Test
  void eachErrorIsOneRecordAtItsLevelAndAWarningAWarning() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "npm-11.19.1.txt", "npm-replayed");

    // Before, each of its 15 lines was a warning, the two errors too.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("ERROR", """
            code E404
            404 Not Found - GET https://registry.npmjs.org/nosuchpkg-hl-xyz-123
            404
            404  The requested resource 'nosuchpkg-hl-xyz-123@*' could not be found or you do not have permission to access it.
            404
            404 Note that you can also install from a
            404 tarball, folder, http url, or git url.
            A complete log of this run can be found in: /root/.npm/_logs/2026-12-03T18_52_27_986Z-debug-0.log"""),
        tuple("WARNING", "Unknown cli config \"--foo\". This will stop working in the next major version of npm."),
        tuple("ERROR", """
            code 1
            path /tmp/npmt/badpkg
            command failed
            command sh -c node -e "console.error('CUDA toolkit not found: cannot build the addon'); process.exit(1)"
            CUDA toolkit not found: cannot build the addon
            A complete log of this run can be found in: /root/.npm/_logs/2026-12-03T18_52_29_395Z-debug-0.log"""));
    assertThat(records.get(0).metadataJson()).contains("\"component\": \"npm\"");
  }

  @Test
  void npm9sErrorIsOneRecordThoughItNamesItsLogAfterABlankLine() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "npm-9.9.4.txt", "npm9-replayed");

    assertThat(records).extracting(StoredRecord::level).containsExactly("ERROR");
    assertThat(records.get(0).message()).startsWith("code E404\n404 Not Found - GET")
        .endsWith("tarball, folder, http url, or git url.\n\n"
            + "A complete log of this run can be found in: /root/.npm/_logs/2026-12-03T18_53_53_123Z-debug-0.log");
  }
}
