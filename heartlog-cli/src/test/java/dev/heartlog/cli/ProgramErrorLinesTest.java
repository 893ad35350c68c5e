package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.agent.Level;
import dev.heartlog.store.StoredRecord;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program's error after its name ({@code psql: error: ...}), as heartlog run stores it ({@link
 * WinstonLines}). The replayed lines are what Debian's psql 15.18 printed on stderr failing to
 * connect, and what Python 3.11.7's argparse printed for a worker started without its required
 * option.
 */
class ProgramErrorLinesTest {

  @TempDir Path folder;

  @Test
  void psqlsFailureToConnectIsAnErrorOfPsqlWithTheLineItWroteBelowIt() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "psql-15.18-connection.txt", "psql-replayed");

    // Before, two warnings, the first beginning "psql: error: ".
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("ERROR", "connection to server at \"127.0.0.1\", port 5499 failed: Connection refused\n"
            + "\tIs the server running on that host and accepting TCP/IP connections?"));
    assertThat(records.get(0).metadataJson()).contains("\"component\": \"psql\"");
  }

  @Test
  void aWorkerStartedWithoutItsRequiredOptionFailsWithAnErrorAfterItsUsage() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "argparse-3.11.7.txt", "argparse-replayed");

    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("WARNING", "usage: argw.py [-h] --queue QUEUE"),
        tuple("ERROR", "the following arguments are required: --queue"));
    assertThat(records.get(1).metadataJson()).contains("\"component\": \"argw.py\"");
  }

  @Test
  void aFileAndLineOrASentenceBeforeTheLevelIsNoProgramsName() {
    ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

    // gcc's diagnostics name a file and a place; a print of the worker's names no program
    assertThat(parser.parse("/tmp/bad.c:1:19: error: 'x' undeclared", Level.WARNING, "stderr").message())
        .isEqualTo("/tmp/bad.c:1:19: error: 'x' undeclared");
    assertThat(parser.parse("step 3 of 5: error: retrying", Level.WARNING, "stderr").level()).isEqualTo(Level.WARNING);
    assertThat(parser.parse("pg_dump: warning: there are circular foreign-key constraints", Level.INFO, "stderr").level())
        .isEqualTo(Level.WARNING);
  }
}
