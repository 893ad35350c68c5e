package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A variable an option's default names, set blank (a compose file's {@code HEARTLOG_DB_USER=}),
 * is read as unset, as the agent reads its own; picocli took it for a value.
 */
class BlankVariablesTest {

  @Test
  void aBlankVariableIsUnsetAndTheDefaultAfterItIsRead() {
    Map<String, String> environment = Map.of("BLANK", " ", "SET", "pg", "EMPTY", "");

    assertThat(BlankVariables.defaultOf("${env:SET}", environment::get)).isEqualTo("pg");
    assertThat(BlankVariables.defaultOf("${env:BLANK}", environment::get)).isNull();
    assertThat(BlankVariables.defaultOf("${env:MISSING}", environment::get)).isNull();
    assertThat(BlankVariables.defaultOf("${env:BLANK:-${env:SET}}", environment::get)).isEqualTo("pg");
    assertThat(BlankVariables.defaultOf("${env:EMPTY:-${env:BLANK}}", environment::get)).isNull();
    assertThat(BlankVariables.defaultOf("${env:EMPTY:-7070}", environment::get)).isEqualTo("7070");
  }

  @Test
  void theCommandsOptionsReadBlankVariablesAsUnset() {
    Map<String, String> environment = new HashMap<>();
    environment.put("HEARTLOG_DB_USER", "");          // overrode the URL's user: "no PostgreSQL user name specified"
    environment.put("PGUSER", "from-pguser");
    environment.put("HEARTLOG_DB_POOL", " ");         // "'' is not an int"
    environment.put("HEARTLOG_KEYS_FILE", "");        // the working folder
    environment.put("HEARTLOG_PORT", "7171");
    environment.put("HEARTLOG_DB_PASSWORD", "pa${ss}word");
    CommandLine commandLine = new CommandLine(new Main());
    BlankVariables.readAsUnset(commandLine, environment::get);

    CommandSpec serve = commandLine.parseArgs("serve").subcommand().commandSpec();

    assertThat(serve.findOption("--db-user").<String>getValue()).isEqualTo("from-pguser");
    assertThat(serve.findOption("--db-pool").<Integer>getValue()).isEqualTo(ServeCommand.DEFAULT_DB_POOL);
    assertThat(serve.findOption("--keys").<Object>getValue()).isNull();
    assertThat(serve.findOption("--port").<Integer>getValue()).isEqualTo(7171);
    assertThat(serve.findOption("--db-password").<String>getValue()).as("read as it is").isEqualTo("pa${ss}word");
  }
}
