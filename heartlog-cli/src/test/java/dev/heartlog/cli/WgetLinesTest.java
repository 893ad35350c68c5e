package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.store.StoredRecord;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * wget's lines, as heartlog run stores them ({@link WgetLines}, and {@link TerminalLines} for its
 * dots). The replayed lines are what Debian's wget 1.21.3 printed on stderr downloading 3 MB, then
 * asking for a file the server lacks, a port nothing listens on and a host no name server knows.
 */
class WgetLinesTest {

  @TempDir Path folder;

  @Test
  void aDownloadIsInfoItsDotsAFewProgressRecordsAndItsFailuresKeepTheirLevel() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "wget-1.21.3.txt", "wget-replayed");

    // Before, each line was a warning: 65 for the download, 59 of them its dots.
    assertThat(records).extracting(StoredRecord::level, record -> record.message().replaceAll(" +", " ")).containsExactly(
        tuple("INFO", "--2026-12-03 16:41:13-- http://127.0.0.1:8765/blob.bin"),
        tuple("INFO", "Connecting to 127.0.0.1:8765... connected."),
        tuple("INFO", "HTTP request sent, awaiting response... 200 OK"),
        tuple("INFO", "Length: 3000000 (2.9M) [application/octet-stream]"),
        tuple("INFO", "Saving to: ‘/dev/null’"),
        tuple("INFO", " 0K .......... .......... .......... .......... .......... 1% 209M 0s"),
        tuple("INFO", " 2900K .......... .......... ......... 100% 329M=0.009s"),
        tuple("INFO", "2026-12-03 16:41:13 (312 MB/s) - ‘/dev/null’ saved [3000000/3000000]"),
        tuple("INFO", "--2026-12-03 16:41:13-- http://127.0.0.1:8765/nosuch.bin"),
        tuple("INFO", "Connecting to 127.0.0.1:8765... connected."),
        tuple("WARNING", "HTTP request sent, awaiting response... 404 File not found"),
        tuple("ERROR", "404: File not found."),
        tuple("INFO", "--2026-12-03 16:41:13-- http://127.0.0.1:8799/x.bin"),
        tuple("WARNING", "Connecting to 127.0.0.1:8799... failed: Connection refused."),
        tuple("INFO", "--2026-12-03 16:41:13-- http://no-such-host.invalid/x.bin"),
        tuple("WARNING", "Resolving no-such-host.invalid (no-such-host.invalid)... failed: Name or service not known."),
        tuple("WARNING", "wget: unable to resolve host address ‘no-such-host.invalid’"));
    assertThat(records.get(5).metadataJson()).contains("\"kind\": \"progress\"");
    assertThat(records.get(1).metadataJson()).contains("\"component\": \"wget\"");
  }
}
