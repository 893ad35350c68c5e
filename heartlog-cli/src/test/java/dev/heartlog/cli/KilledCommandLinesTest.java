package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shell's report of a command that a signal ended, as heartlog run stores it ({@link
 * KilledCommandLines}). The replayed lines are what Debian 12's bash 5.2.15 and dash 0.5.12
 * printed on stderr running scripts whose commands were killed by SIGSEGV, SIGKILL, SIGFPE,
 * SIGTERM, SIGUSR1 and SIGABRT (with and without a core written), one of them the last command of
 * a pipeline.
 */
class KilledCommandLinesTest {

  private static final String COMMAND = "python3 -c \"import os,signal; os.kill(os.getpid(), signal.SIG$1)\"";
  private static final String KILL = "python3 -c \"import os,signal; os.kill(os.getpid(), signal.SIGKILL)\"";

  @TempDir Path folder;

  @Test
  void bashsReportOfACrashIsAnErrorNamingTheSignalTheProcessAndTheCommand() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "bash-5.2.15-killed.txt", "bash-killed");

    // Before, each was a warning.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("ERROR", "start.sh: line 3: 23454 Segmentation fault      " + COMMAND),
        tuple("ERROR", "start.sh: line 3: 23495 Killed                  " + COMMAND),
        tuple("ERROR", "start.sh: line 3: 23536 Floating point exception" + COMMAND),
        tuple("WARNING", "Terminated"),
        tuple("WARNING", "start.sh: line 3: 23618 User defined signal 1   " + COMMAND),
        tuple("ERROR", "start.sh: line 10: 23659 Killed                  sleep 100"),
        tuple("INFO", "start.sh: line 11: 23660 Done                    echo frames"),
        tuple("ERROR", "     23661 Killed                  | " + KILL),
        tuple("ERROR", "start.sh: line 3: 23702 Aborted                 (core dumped) " + COMMAND));
    assertThat(records.get(1).metadataJson()).contains("\"signal\": \"SIGKILL\"", "\"pid\": 23495",
        "\"component\": \"start.sh\"", "\"command\": \"" + COMMAND.replace("\"", "\\\"") + "\"")
        .doesNotContain("core_dumped");
    assertThat(records.get(2).metadataJson()).contains("\"signal\": \"SIGFPE\"", "\"command\": \"python3 -c");
    assertThat(records.get(3).metadataJson()).contains("\"signal\": \"SIGTERM\"");
    assertThat(records.get(5).metadataJson()).contains("\"command\": \"sleep 100\"");
    assertThat(records.get(6).metadataJson()).contains("\"command\": \"echo frames\"").doesNotContain("signal");
    assertThat(records.get(7).metadataJson()).contains("\"signal\": \"SIGKILL\"", "\"pid\": 23661",
        "\"command\": \"python3 -c").doesNotContain("component");
    assertThat(records.get(8).metadataJson()).contains("\"signal\": \"SIGABRT\"", "\"core_dumped\": true",
        "\"command\": \"python3 -c");
  }

  @Test
  void dashsReportIsTheDescriptionAlone() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "dash-0.5.12-killed.txt", "dash-killed");

    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("ERROR", "Killed"),
        tuple("ERROR", "Segmentation fault (core dumped)"),
        tuple("ERROR", "Aborted (core dumped)"));
    assertThat(records.get(0).metadataJson()).contains("\"signal\": \"SIGKILL\"").doesNotContain("pid", "core_dumped");
    assertThat(records.get(1).metadataJson()).contains("\"signal\": \"SIGSEGV\"", "\"core_dumped\": true");
  }

  /**
   * A start script whose worker crashed exits with the worker's code (139 for SIGSEGV) and was not
   * killed itself: the exit's record says so, with bash's report. Before, it said the worker
   * process was killed by signal 11.
   */
  @Test
  void aScriptThatExitsWithItsKilledCommandsCodeIsNotSaidToHaveBeenKilled() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);

    Cli.Result result = WrappedWorkers.heartlogRun(folder, "script-of-a-crash", url, List.of(), "/bin/bash", "-c",
        "set -e; echo starting; /bin/bash -c 'kill -SEGV $$'; echo not reached");

    assertThat(result.exitCode()).as(result.err()).isEqualTo(139);
    List<StoredRecord> records = WrappedWorkers.records(store, "script-of-a-crash");
    assertThat(records).extracting(StoredRecord::message).doesNotContain("not reached");
    assertThat(records).filteredOn(record -> record.message().startsWith("the worker process")).singleElement()
        .satisfies(exit -> assertThat(exit.message()).matches("the worker process exited with code 139: a command it "
            + "ran was killed by signal 11 \\(SIGSEGV\\) \\(/bin/bash: line 1: +\\d+ Segmentation fault +/bin/bash -c 'kill "
            + "-SEGV \\$\\$'\\)"));
  }

  @Test
  void aWorkersOwnLineThatOnlyLooksSoIsNotAReport() {
    assertThat(KilledCommandLines.parse("Killed", "stdout", new RecordMetadata(1))).isNull();
    assertThat(KilledCommandLines.parse("Killed 3 stale jobs", "stderr", new RecordMetadata(1))).isNull();
    assertThat(KilledCommandLines.parse("worker.sh: line 3: 123 Finished   echo x", "stderr", new RecordMetadata(1)))
        .isNull();
    assertThat(KilledCommandLines.parse("   frames 12 | 24 done", "stderr", new RecordMetadata(1))).isNull();
    assertThat(KilledCommandLines.parse("bash: line 1: 7 Exit 3                  false", "stderr", new RecordMetadata(2))
        .metadata()).containsEntry("exit_code", 3).doesNotContainKey("signal");
    assertThat(KilledCommandLines.parse("worker.sh: line 3: jobs killed: 4", "stderr", new RecordMetadata(1))).isNull();
    assertThat(KilledCommandLines.parse("bash: line 1:   812 Hangup                  nohup-less worker", "stderr",
        new RecordMetadata(2)).level()).isEqualTo(Level.WARNING);
  }
}
