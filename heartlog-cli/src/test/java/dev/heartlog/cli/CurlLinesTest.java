package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.store.StoredRecord;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * curl's lines on stderr, as heartlog run stores them ({@link CurlLines}). The replayed lines
 * are what Debian's curl 7.88.1 printed there: a download with its progress meter, then {@code
 * -sS} against a port nothing listens on, {@code -fsS} for a file the server lacks, and a host
 * no name server knows with the meter drawn.
 */
class CurlLinesTest {

  @TempDir Path folder;

  @Test
  void itsErrorsAreErrorsWithTheirCodeAndItsMetersHeadingsInfo() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "curl-7.88.1.txt", "curl-replayed");

    String heading = "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
        + "                                 Dload  Upload   Total   Spent    Left  Speed";
    // Before, each error was a warning, and so was each heading; the last error was the end of
    // the meter's line, a part of the heading's record.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", heading),
        tuple("INFO", "  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0"),
        tuple("INFO", "100   913  100   913    0     0   291k      0 --:--:-- --:--:-- --:--:--  297k"),
        tuple("ERROR", "Failed to connect to 127.0.0.1 port 8799 after 0 ms: Couldn't connect to server"),
        tuple("ERROR", "The requested URL returned error: 404"),
        tuple("INFO", heading),
        tuple("ERROR", "Could not resolve host: no-such-host.invalid"));
    assertThat(records.get(3).metadataJson()).contains("\"code\": 7", "\"component\": \"curl\"");
    assertThat(records.get(6).metadataJson()).contains("\"code\": 6").doesNotContain("progress");
  }
}
