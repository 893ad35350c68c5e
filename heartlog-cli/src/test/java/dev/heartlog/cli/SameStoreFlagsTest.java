package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The flags a command prints in the commands it suggests ({@code heartlog task}'s "heartlog logs
 * --worker gpu-7 --around 48213377"), so that they read the store it read: those that chose it
 * on its command line, without a password.
 */
class SameStoreFlagsTest {

  private static String sameStore(String... args) {
    TaskCommand command = new TaskCommand();
    CommandLine.ParseResult parsed = new CommandLine(command).parseArgs(args);
    return command.storeOptions.sameStore(parsed);
  }

  @Test
  void aStoreChosenOnTheCommandLineIsNamedAgainWithoutItsPassword() {
    assertThat(sameStore("t-1", "--db-url", "postgresql://ro:secret@db.example:5432/logs"))
        .isEqualTo(" --db-url postgresql://ro@db.example:5432/logs");
    assertThat(sameStore("t-1", "--db-url", "jdbc:postgresql://db.example/logs?user=ro&password=secret"))
        .as("quoted for the shell").isEqualTo(" --db-url 'jdbc:postgresql://db.example/logs?user=ro'");
    assertThat(sameStore("t-1", "--home", "/data/heart log")).isEqualTo(" --home '/data/heart log'");
    assertThat(sameStore("t-1", "--home", "/data/heartlog", "--db-url", "postgresql://db.example/logs"))
        .as("the URL chose the store").isEqualTo(" --db-url postgresql://db.example/logs");
  }

  @Test
  void aStoreTheEnvironmentOrTheDefaultChoseIsNotNamed() {
    assertThat(sameStore("t-1")).isEmpty();
    assertThat(sameStore("t-1", "--db-password", "secret")).isEmpty();
  }
}
