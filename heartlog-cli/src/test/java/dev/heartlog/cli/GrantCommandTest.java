package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartlog.store.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code heartlog grant} and {@code heartlog revoke}, then logging in as what they made. */
@Timeout(60)
class GrantCommandTest {

  private static final Pattern CREATED = Pattern.compile("Created login (\\S+) with password (\\S+) ");
  private static final String ONE_RECORD = "[{\"level\": \"INFO\", \"message\": \"frame 1 rendered\"}]";

  private String url;
  private final String writer = "heartlog_cli_writer_" + UUID.randomUUID().toString().substring(0, 8);
  private final String reader = "heartlog_cli_reader_" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeEach
  void freshStore() {
    url = TestDatabase.migratedUrl();
  }

  @AfterEach
  void dropLogins() throws SQLException {
    TestDatabase.dropLogins(url, List.of(writer, reader));
  }

  @Test
  void aWriterThatRequiresATokenDoesNotWriteWithoutOne() throws SQLException {
    Cli.Result grant = Cli.run("grant", "writer", writer, "--workers", "*", "--token-required", "--db-url", url);

    assertThat(grant.exitCode()).as(grant.err()).isZero();
    assertThat(grant.out()).contains(writer + " may send heartbeats as any worker, only with a token from heartlog token, "
        + "and do nothing else");
    try (Connection connection = connect(writer, password(grant, writer))) {
      assertThatThrownBy(() -> TestDatabase.heartbeat(connection, "gpu-3", ONE_RECORD)).isInstanceOf(SQLException.class)
          .hasMessageContaining(writer + " writes only with a token from heartlog token");
      assertThat(TestDatabase.heartbeatAsPostgrest(connection, null, "request.jwt.claims",
          "{\"heartlog_workers\": \"gpu-\"}", "gpu-3", ONE_RECORD)).contains("\"logs_inserted\": 1");
    }
  }

  @Test
  void aGrantedWriterSendsHeartbeatsAsItsWorkersAndAReaderReadsThem() throws SQLException {
    Cli.Result grantWriter = Cli.run("grant", "writer", writer, "--workers", "gpu-", "--db-url", url);
    assertThat(grantWriter.exitCode()).as(grantWriter.err()).isZero();
    assertThat(grantWriter.out()).contains(writer + " may send heartbeats as the workers whose id starts with \"gpu-\"")
        .contains("(shown once; keep it in the workers' secrets)");
    String writerPassword = password(grantWriter, writer);

    try (Connection connection = connect(writer, writerPassword)) {
      assertThat(TestDatabase.heartbeat(connection, "gpu-3", ONE_RECORD)).contains("\"logs_inserted\": 1");
      assertThatThrownBy(() -> TestDatabase.heartbeat(connection, "cpu-3", ONE_RECORD)).isInstanceOf(SQLException.class)
          .hasMessageContaining("may write only as workers whose id starts with \"gpu-\"");
    }

    Cli.Result grantReader = Cli.run("grant", "reader", reader, "--db-url", url);
    assertThat(grantReader.exitCode()).as(grantReader.err()).isZero();
    assertThat(grantReader.out()).as("a reader's password is not a worker's").contains("(shown once; give it to whoever reads the logs)");
    String readerUrl = withoutUser(url) + "?user=" + reader + "&password=" + password(grantReader, reader);
    Cli.Result logs = Cli.run("logs", "--worker", "gpu-3", "--db-url", readerUrl);
    assertThat(logs.exitCode()).as(logs.err()).isZero();
    assertThat(logs.out()).contains("frame 1 rendered");

    Cli.Result revoke = Cli.run("revoke", writer, "--db-url", url);
    assertThat(revoke.exitCode()).as(revoke.err()).isZero();
    try (Connection connection = connect(writer, writerPassword)) {
      assertThatThrownBy(() -> TestDatabase.heartbeat(connection, "gpu-3", ONE_RECORD)).isInstanceOf(SQLException.class)
          .hasMessageContaining("permission denied");
    }
  }

  @Test
  void whereOthersMayCreateInTheSchemaMigrateSaysHowToFixItAndGrantWriterRefuses() throws SQLException {
    try (Connection owner = DriverManager.getConnection(url); Statement statement = owner.createStatement()) {
      statement.execute("GRANT CREATE ON SCHEMA public TO PUBLIC");   // PostgreSQL 14's default
    }

    Cli.Result migrate = Cli.run("migrate", "--db-url", url);
    Cli.Result grant = Cli.run("grant", "writer", writer, "--workers", "gpu-", "--db-url", url);

    assertThat(migrate.exitCode()).isZero();
    assertThat(migrate.err()).contains("heartlog: warning: others may create objects in schema public",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC");
    assertThat(grant.exitCode()).isEqualTo(1);
    assertThat(grant.err()).contains(writer + " is not made a writer");
  }

  @Test
  void grantWithoutARoleSaysWhichToChoose() {
    Cli.Result result = Cli.run("grant");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("heartlog: say which role: heartlog grant writer LOGIN --workers PREFIX");
  }

  /**
   * A prefix given blank ({@code --workers "$PREFIX"} of a variable never set) meant any worker:
   * a writer, or a token, that may send as the whole fleet. '*' says that on purpose.
   */
  @Test
  void aBlankPrefixOrLoginIsABadFlagNotAnyWorker() throws SQLException {
    Cli.Result writer = Cli.run("grant", "writer", this.writer, "--workers", "", "--db-url", url);
    Cli.Result revokeTokens = Cli.run("revoke", "--tokens", " ", "--db-url", url);
    Cli.Result blankLogin = Cli.run("grant", "reader", " ", "--db-url", url);
    Cli.Result token = Cli.run("token", "--workers", "", "--secret-file", "/nonexistent");

    for (Cli.Result result : List.of(writer, revokeTokens, token)) {
      assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
      assertThat(result.err()).contains(" is blank: give the start of the workers' ids, or '*' for any worker");
      assertThat(result.out()).isEmpty();
    }
    assertThat(blankLogin.exitCode()).isEqualTo(2);
    assertThat(blankLogin.err()).startsWith("heartlog: LOGIN is blank: give the database login's name");
    try (Connection owner = DriverManager.getConnection(url); Statement statement = owner.createStatement();
        var rows = statement.executeQuery("SELECT (SELECT count(*) FROM heartlog_writers) + (SELECT count(*) FROM heartlog_revoked_tokens)")) {
      rows.next();
      assertThat(rows.getLong(1)).as("no writer made, no token revoked").isZero();
    }
  }

  private static String password(Cli.Result result, String login) {
    Matcher created = CREATED.matcher(result.out());
    assertThat(created.find()).as(result.out()).isTrue();
    assertThat(created.group(1)).isEqualTo(login);
    return created.group(2);
  }

  private Connection connect(String login, String password) throws SQLException {
    return DriverManager.getConnection(withoutUser(url), login, password);
  }

  private static String withoutUser(String url) {
    return url.replaceAll("\\?.*$", "");
  }

}
