package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.heartlog.store.Fixtures;
import dev.heartlog.store.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code heartlog migrate} on a database set up from the seed design, as its user reads it. */
@Timeout(60)
class MigrateCommandTest {

  @Test
  void whatTheDatabaseSaysWhileMigratingIsPrintedAsTheCommandsOwnWarnings() throws SQLException {
    String url = TestDatabase.freshUrl();
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      statement.execute(Fixtures.seedSchema());
      statement.execute("INSERT INTO system_logs (level, message, source_type, source_id) "
          + "VALUES ('INFO', 'rendered', 'worker', 'gpu-1'), ('ERROR', 'out of memory', 'worker', 'gpu-1')");
    }

    assertThat(migrationWarnings(url)).isEqualTo(
        "heartlog: warning: func_worker_heartbeat_with_logs(text,integer,integer,jsonb,text), which was there before, "
            + "is replaced by heartlog's, which takes the same calls" + System.lineSeparator()
            + "heartlog: warning: moved 2 record(s) of the last 2 days from the seed design's system_logs into heartlog's"
            + System.lineSeparator());
    assertThat(Cli.run("logs", "--worker", "gpu-1", "--no-stack-traces", "--db-url", url).out())
        .contains("INFO      gpu-1  rendered", "ERROR     gpu-1  out of memory");
  }

  @Test
  void anEnumStatusWithoutTheStatusesAgentsSendIsToldHowToAddThemAtEveryMigrate() throws SQLException {
    String url = TestDatabase.freshUrl();
    TestDatabase.execute(url, "CREATE TYPE worker_status AS ENUM ('spawning', 'active', 'terminated');"
        + "CREATE TABLE workers (id text PRIMARY KEY, status worker_status NOT NULL DEFAULT 'spawning')");
    String warning = "heartlog: warning: workers.status is the enum worker_status, which has no 'crashed' or 'stopped': "
        + "heartbeats with that status store their records but leave the worker's row, and heartlog workers says why "
        + "(to take them: ALTER TYPE worker_status ADD VALUE 'crashed'; ALTER TYPE worker_status ADD VALUE 'stopped')"
        + System.lineSeparator();

    assertThat(migrationWarnings(url)).isEqualTo(warning);
    assertThat(migrationWarnings(url)).as("again, with nothing to apply").isEqualTo(warning);
    TestDatabase.execute(url, "ALTER TYPE worker_status ADD VALUE 'crashed'; ALTER TYPE worker_status ADD VALUE 'stopped'");
    assertThat(migrationWarnings(url)).isEmpty();
  }

  @Test
  void aCheckOnTheStatusThatRefusesTheStatusesAgentsSendIsNamed() throws SQLException {
    String url = TestDatabase.freshUrl();
    TestDatabase.execute(url, "CREATE TABLE workers (id text PRIMARY KEY, "
        + "status text CHECK (status IN ('spawning', 'active', 'crashed', 'terminated')), last_heartbeat timestamptz)");

    assertThat(migrationWarnings(url)).isEqualTo("heartlog: warning: workers.status has a CHECK that refuses 'stopped': "
        + "heartbeats with that status store their records but leave the worker's row, and heartlog workers says why "
        + "(to take them, let the CHECK list them)" + System.lineSeparator());
    TestDatabase.execute(url, "ALTER TABLE workers DROP CONSTRAINT workers_status_check, ADD CHECK (status <> 'terminating')");
    assertThat(migrationWarnings(url)).as("a CHECK that takes them").isEmpty();
  }

  @Test
  void aDatabaseThatCannotHoldEveryCharacterIsSaidToDropTheBatchesThatHoldOne() {
    String url = TestDatabase.freshUrl("ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");

    assertThat(migrationWarnings(url)).isEqualTo("heartlog: warning: this database's encoding is LATIN1, which cannot "
        + "hold every character workers log: a batch with one it lacks (an emoji, a name in Chinese) is refused whole, "
        + "and its records are dropped with a report (heartlog needs a UTF8 database: CREATE DATABASE ... ENCODING "
        + "'UTF8' TEMPLATE template0)" + System.lineSeparator());
    assertThat(migrationWarnings(TestDatabase.freshUrl())).as("a UTF8 database").isEmpty();
  }

  /**
   * A migration job started beside its database (Compose's {@code depends_on}, an init container)
   * waits for it with {@code --wait}; without it, such a job failed, and in Compose, where a job
   * that failed is not run again, the server that depends on it never started.
   */
  @Test
  @Timeout(120)
  void withWaitAMigrationWaitsForADatabaseStartedAfterIt(@TempDir Path folder) throws Exception {
    int port = PortedPostgres.freePort();
    String url = "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> migrating = CompletableFuture.supplyAsync(() -> Main.commandLine()
        .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
        .execute("migrate", "--db-url", url, "--wait", "60s"));
    EmbeddedPostgres database = null;
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> err.toString().contains("for up to 60 s") || migrating.isDone());

      database = PortedPostgres.start(folder.resolve("postgres"), port);

      assertThat(migrating.get(60, TimeUnit.SECONDS)).as(err.toString()).isZero();
      assertThat(out.toString()).startsWith("Applied ");
      assertThat(err.toString().lines()).satisfiesExactly(
          waiting -> assertThat(waiting).startsWith("heartlog migrate: cannot reach the database at " + url)
              .endsWith("; trying again every 2 s for up to 60 s (Ctrl-C ends)"),
          answered -> assertThat(answered).matches("heartlog migrate: the database answers, after \\d+ s"));
    } finally {
      if (database != null) {
        database.close();
      }
    }
  }

  @Test
  void withWaitADatabaseThatNeverAnswersFailsOnceTheTimeIsUp() throws Exception {
    int port = PortedPostgres.freePort();

    Cli.Result migrate = Cli.run("migrate", "--db-url", "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres",
        "--wait", "3s");

    assertThat(migrate.exitCode()).isEqualTo(1);
    assertThat(migrate.err().lines()).satisfiesExactly(
        waiting -> assertThat(waiting).endsWith("; trying again every 2 s for up to 3 s (Ctrl-C ends)"),
        failed -> assertThat(failed).startsWith("heartlog: cannot reach the database").matches(".* \\(still, after waiting \\d+ s\\)"));
  }

  @Test
  void withWaitWhatWaitingCannotMendFailsAtOnce() {
    String missing = TestDatabase.freshUrl().replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]+", "$1no_such_database");

    Cli.Result migrate = Cli.run("migrate", "--db-url", missing, "--wait", "60s");

    assertThat(migrate.exitCode()).isEqualTo(1);
    assertThat(migrate.err()).contains("no_such_database").doesNotContain("trying again");
  }

  /** What {@code heartlog migrate} warns of, once it has succeeded. */
  private static String migrationWarnings(String url) {
    // Flyway logs the database's warnings through Logback, whose console appender writes to System.err.
    ByteArrayOutputStream logged = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
    Cli.Result migrate;
    try {
      migrate = Cli.run("migrate", "--db-url", url);
    } finally {
      System.setErr(stderr);
    }
    assertThat(migrate.exitCode()).as(migrate.err()).isZero();
    return logged.toString(StandardCharsets.UTF_8);
  }
}
