package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The password a command connects with, where psql would find it: {@code PGPASSWORD}, {@code
 * PGUSER} and {@code ~/.pgpass} beside heartlog's own flags and variables. The server asks every
 * login but its superuser for a password (SCRAM), as a production server does; the embedded one
 * of the other tests trusts every connection and would take any password, or none.
 */
@Timeout(120)
class PasswordsFromTheEnvironmentTest {

  /** Characters a URI would need escaped: a variable takes the password as it is. */
  private static final String PASSWORD = "r3nder/fleet?@%";

  @TempDir static Path folder;
  private static EmbeddedPostgres server;
  private static String address;

  @BeforeAll
  static void startAServerThatAsksForPasswords() throws IOException, SQLException {
    Path hba = folder.resolve("pg_hba.conf");
    Files.writeString(hba, String.join("\n",
        "host all postgres 127.0.0.1/32 trust",
        "host all postgres ::1/128 trust",
        "host all all 127.0.0.1/32 scram-sha-256",
        "host all all ::1/128 scram-sha-256", ""));
    server = EmbeddedPostgres.builder()
        .setServerConfig("hba_file", hba.toString())
        .setServerConfig("password_encryption", "scram-sha-256")
        .start();
    try (Connection connection = server.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE ROLE orchestrator LOGIN SUPERUSER PASSWORD '" + PASSWORD + "'");
    }
    address = "localhost:" + server.getPort() + "/postgres";
    Cli.Result migrate = Cli.run("migrate", "--db-url", "jdbc:postgresql://" + address + "?user=postgres");
    assertThat(migrate.exitCode()).as(migrate.err()).isZero();
  }

  @AfterAll
  static void stop() throws IOException {
    server.close();
  }

  @Test
  void pgpasswordIsTheLoginsPasswordWhenTheUrlHasNone() {
    Cli.Result result = workers(Map.of("PGPASSWORD", PASSWORD), "postgresql://orchestrator@" + address);

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("No workers yet");
  }

  @Test
  void pguserNamesTheLoginWhenNeitherTheUrlNorHeartlogDoes() {
    Cli.Result result = workers(Map.of("PGUSER", "orchestrator", "PGPASSWORD", PASSWORD), "postgresql://" + address);

    assertThat(result.exitCode()).as(result.err()).isZero();
  }

  @Test
  void heartlogsOwnVariableWinsOverPsqls() {
    Cli.Result heartlogs = workers(Map.of("HEARTLOG_DB_PASSWORD", PASSWORD, "PGPASSWORD", "another database's"),
        "postgresql://orchestrator@" + address);
    Cli.Result psqls = workers(Map.of("HEARTLOG_DB_PASSWORD", "stale", "PGPASSWORD", PASSWORD),
        "postgresql://orchestrator@" + address);

    assertThat(heartlogs.exitCode()).as(heartlogs.err()).isZero();
    assertThat(psqls.exitCode()).isEqualTo(1);
    assertThat(psqls.err()).contains("password authentication failed for user \"orchestrator\"",
        "give the password in the URL, --db-password, HEARTLOG_DB_PASSWORD or PGPASSWORD, or a line in ~/.pgpass");
  }

  @Test
  void withoutAnyPasswordTheMessageSaysWhereOneGoes() {
    Cli.Result result = workers(Map.of(), "postgresql://orchestrator@" + address);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("no password was provided",
        "give the password in the URL, --db-password, HEARTLOG_DB_PASSWORD or PGPASSWORD, or a line in ~/.pgpass")
        .doesNotContain("check --db-url");
  }

  @Test
  void aPasswordFilesLineForTheHostIsRead() throws IOException {
    Path passwords = folder.resolve("pgpass");
    Files.writeString(passwords, "localhost:" + server.getPort() + ":postgres:orchestrator:"
        + PASSWORD.replace("\\", "\\\\").replace(":", "\\:") + "\n");
    Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-------"));

    Cli.Result result = workers(Map.of("PGPASSFILE", passwords.toString()), "postgresql://orchestrator@" + address);

    assertThat(result.exitCode()).as(result.err()).isZero();
  }

  private static Cli.Result workers(Map<String, String> variables, String url) {
    return Cli.runInItsOwnJvm(variables, "workers", "--db-url", url);
  }
}
