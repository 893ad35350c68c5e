package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
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

  @Test
  void maintainKeepsWhatServeWasToldToKeep() {
    CommandLine commandLine = new CommandLine(new Main());
    BlankVariables.readAsUnset(commandLine, Map.of("HEARTLOG_RETENTION", "7d")::get);

    CommandSpec maintain = commandLine.parseArgs("maintain").subcommand().commandSpec();
    CommandSpec serve = commandLine.parseArgs("serve").subcommand().commandSpec();

    assertThat(maintain.findOption("--retention").<String>getValue()).isEqualTo("7d");
    assertThat(serve.findOption("--retention").<String>getValue()).isEqualTo("7d");
  }

  @Test
  void aBadValueAVariableGaveIsSaidWithTheVariablesName() {
    Map<String, String> environment = Map.of("HEARTLOG_PORT", "abc", "HEARTLOG_STOP_GRACE", "soon");

    assertThat(errorOf(environment, "serve")).startsWith(
        "heartlog: Invalid value for option '--port' (from HEARTLOG_PORT): 'abc' is not an int\n");
    assertThat(errorOf(environment, "serve", "--port=x")).as("given on the command line, it wins")
        .startsWith("heartlog: Invalid value for option '--port': 'x' is not an int\n");
    assertThat(errorOf(environment, "run", "--worker", "w", "--", "sleep", "--stop-grace")).startsWith(
        "heartlog: --stop-grace (from HEARTLOG_STOP_GRACE) must be a duration such as 20, 20s, 500ms or 5m (got 'soon')\n");
    assertThat(errorOf(Map.of("HEARTLOG_RETENTION", "48"), "maintain")).startsWith("heartlog: --retention (from "
        + "HEARTLOG_RETENTION) must be a length of time with its unit, such as 48h, 7d or 1d12h (got '48')\n");
  }

  /** What the command line says on stderr for these arguments, its variables read from {@code environment}. */
  private static String errorOf(Map<String, String> environment, String... args) {
    StringWriter err = new StringWriter();
    CommandLine commandLine = Main.commandLine(environment::get);
    commandLine.setErr(new PrintWriter(err));
    commandLine.setOut(new PrintWriter(new StringWriter()));

    assertThat(commandLine.execute(args)).isEqualTo(2);
    return err.toString();
  }
}
