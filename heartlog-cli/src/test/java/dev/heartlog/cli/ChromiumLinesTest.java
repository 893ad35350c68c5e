package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Level;
import dev.heartlog.store.StoredRecord;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chromium's log lines, as {@link ChildLineParser} reads them ({@link ChromiumLines}) and heartlog
 * run stores them. The replayed lines are what Debian's Chromium 150 printed on stderr taking two
 * screenshots headless in a container without D-Bus, the second to a folder that is not there.
 */
class ChromiumLinesTest {

  @TempDir Path folder;

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  @Test
  void theLevelInTheBracketsIsTheLevelAndTheMessageFollowsThem() {
    ChildLineParser.Parsed failed = parser.parse("[12858:12888:1203/164351.049268:ERROR:components/headless/command_handler/"
        + "headless_command_handler.cc:266] Failed to write file /nonexistent/dir/x.png: No such file or directory (2)",
        Level.WARNING, "stderr");

    assertThat(failed.level()).isEqualTo(Level.ERROR);
    assertThat(failed.message()).isEqualTo("Failed to write file /nonexistent/dir/x.png: No such file or directory (2)");
    assertThat(failed.metadata()).containsEntry("component", "chromium").containsEntry("pid", 12858L)
        .containsEntry("file", "components/headless/command_handler/headless_command_handler.cc").containsEntry("line", 266);
    ChildLineParser.Parsed older = parser.parse("[0100/000000.123:WARNING:gpu_init.cc(439)] Falling back to SwiftShader",
        Level.WARNING, "stderr");
    assertThat(older.message()).isEqualTo("Falling back to SwiftShader");
    assertThat(older.metadata()).containsEntry("line", 439).doesNotContainKey("pid");
    assertThat(parser.parse("[1:2:0101/000000.123456:VERBOSE1:a.cc:1] x", Level.WARNING, "stderr").level()).isEqualTo(Level.DEBUG);
    assertThat(parser.parse("[1:2:0101/000000.123456:FATAL:a.cc:1] x", Level.WARNING, "stderr").level()).isEqualTo(Level.CRITICAL);
    String bracketed = "[12:ERROR] not Chromium's";
    assertThat(parser.parse(bracketed, Level.WARNING, "stderr").message()).isEqualTo(bracketed);
  }

  @Test
  void aHeadlessScreenshotsLinesKeepChromiumsLevelsWithoutTheirPrefix() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "chromium-150-headless.txt", "chromium-replayed");

    // 48 of D-Bus's errors and the failed write: errors as Chromium says, the message after the brackets.
    assertThat(records).filteredOn(record -> record.level().equals("ERROR")).hasSize(49)
        .allSatisfy(record -> assertThat(record.message().lines().findFirst().orElseThrow()).doesNotStartWith("[")
            .satisfiesAnyOf(message -> assertThat(message).startsWith("Failed to connect to the bus: "),
                message -> assertThat(message).startsWith("Failed to call method: "),
                message -> assertThat(message).isEqualTo("Failed to write file /nonexistent/dir/x.png: No such file or directory (2)")));
    assertThat(records).filteredOn(record -> !record.level().equals("ERROR")).extracting(StoredRecord::message)
        .as("Debian's launcher's own mistake, dash's test error, a warning at each start (ShellErrorLines); the second "
            + "start's, replayed in the same read as an error of the first, is a record of its own, not more of that error")
        .containsExactly("/usr/bin/chromium: 9: [: 25265758208: unexpected operator",
            "/usr/bin/chromium: 9: [: 25226477568: unexpected operator");
  }
}
