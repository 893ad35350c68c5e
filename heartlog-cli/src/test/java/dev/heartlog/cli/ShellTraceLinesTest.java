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
 * A shell's trace ({@code set -x}) as {@link ChildLineParser} reads it ({@link ShellTraceLines})
 * and heartlog run stores it. The replayed lines are what a worker's script run by Debian's bash
 * 5.2.15 with {@code set -euxo pipefail} printed on stderr, its last command failing.
 */
class ShellTraceLinesTest {

  @TempDir Path folder;

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  @Test
  void aTracedCommandIsInfoAsPrintedWhateverWordsItEchoes() {
    ChildLineParser.Parsed echo = parser.parse("+ echo 'error budget: 3 retries'", Level.WARNING, "stderr");
    ChildLineParser.Parsed substitution = parser.parse("++ date +%s", Level.WARNING, "stderr");
    ChildLineParser.Parsed ends = parser.parse("+ echo 'Task completed'", Level.WARNING, "stderr");

    assertThat(echo.level()).as("it named no level of its own: 'error' is the command's").isEqualTo(Level.INFO);
    assertThat(echo.message()).isEqualTo("+ echo 'error budget: 3 retries'");
    assertThat(echo.metadata()).containsEntry("kind", "xtrace");
    assertThat(substitution.level()).isEqualTo(Level.INFO);
    assertThat(substitution.metadata()).containsEntry("kind", "xtrace");
    assertThat(ends.endsTask()).as("the echo's output, not its trace, is the worker's word").isFalse();
  }

  @Test
  void otherLinesBeginningWithAPlusAreNotATrace() {
    for (String line : List.of("+1 more frame", "+", "+ ", "+  two spaces", "+++++++++ nine", "c++ build failed")) {
      assertThat(parser.parse(line, Level.WARNING, "stderr").metadata()).as(line).doesNotContainKey("kind");
    }
  }

  @Test
  void aScriptsTraceIsInfoAndTheFailingCommandsOwnErrorIsAnError() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "bash-5.2.15-xtrace.txt", "xtrace-replayed");

    // Before, each traced command was a warning, and the echo naming "error" an ERROR.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "+ SHOT=12"),
        tuple("INFO", "++ date +%s"),
        tuple("INFO", "+ STARTED=1796309012"),
        tuple("INFO", "+ echo 'rendering shot 12'"),
        tuple("INFO", "+ echo 'error budget: 3 retries'"),
        tuple("INFO", "+ for f in 1 2"),
        tuple("INFO", "+ '[' 1 -gt 1 ']'"),
        tuple("INFO", "+ for f in 1 2"),
        tuple("INFO", "+ '[' 2 -gt 1 ']'"),
        tuple("INFO", "+ echo 'frame 2'"),
        tuple("INFO", "+ ls /srv/shots"),
        // read with the trace's line, it does not take that line's INFO; ls's error (ShellErrorLines)
        tuple("ERROR", "ls: cannot access '/srv/shots': No such file or directory"));
  }
}
