package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import dev.heartlog.store.TestJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code --retention} longer than the store's, where pg_cron's hourly job keeps the store's and
 * so drops, within the hour, what the flag was to keep: {@code maintain} and {@code serve} say so,
 * with the setting that keeps it. {@code HEARTLOG_TEST_PGCRON_URL} names the database pg_cron
 * runs in ({@code .ci/run} sets one up); without it only the store without pg_cron is tried.
 */
class CronRetentionTest {

  private static final String CRON_URL = System.getenv("HEARTLOG_TEST_PGCRON_URL");
  private static final String WARNING = "--retention 7d holds for this command's runs only: pg_cron's hourly job "
      + "heartlog-maintain keeps the store's 24h and drops what is older within the hour; to keep 7d, set the store's "
      + "retention: ALTER DATABASE heartlog_cron SET heartlog.retention = '7 days'";

  @BeforeEach
  void aStoreWhoseJobKeeps24Hours() throws SQLException {
    if (CRON_URL == null || CRON_URL.isBlank()) {
      return;
    }
    try (Connection connection = DriverManager.getConnection(CRON_URL); Statement statement = connection.createStatement()) {
      // The store module's PgCronTest makes it in a whole build; this module's tests alone must too.
      statement.execute("CREATE EXTENSION IF NOT EXISTS pg_cron");
    }
    Store.open(CRON_URL, null, null).migrate();
    try (Connection connection = DriverManager.getConnection(CRON_URL); Statement statement = connection.createStatement()) {
      statement.execute("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET heartlog.retention = %L', "
          + "current_database(), '24 hours'); END $$");
      statement.execute("SELECT cron.schedule('heartlog-maintain', '17 * * * *', 'SELECT heartlog_maintain()')");
      statement.execute("UPDATE cron.job SET active = true WHERE jobname = 'heartlog-maintain'");
    }
  }

  @Test
  void maintainWithALongerRetentionSaysTheJobDropsWhatItKeeps() {
    assumeTrue(CRON_URL != null && !CRON_URL.isBlank(), "HEARTLOG_TEST_PGCRON_URL names no database with pg_cron");

    Cli.Result longer = Cli.run("maintain", "--db-url", CRON_URL, "--retention", "7d");
    Cli.Result same = Cli.run("maintain", "--db-url", CRON_URL, "--retention", "24h");
    Cli.Result storeOwn = Cli.run("maintain", "--db-url", CRON_URL);

    assertThat(longer.exitCode()).as(longer.err()).isZero();
    assertThat(longer.out()).startsWith("{\"retention\": \"168:00:00\"");   // it still keeps what it was asked to
    assertThat(longer.err()).isEqualTo("heartlog: warning: " + WARNING + System.lineSeparator());
    assertThat(same.err()).isEmpty();
    assertThat(storeOwn.err()).isEmpty();
  }

  @Test
  void aJobTurnedOffDropsNothingSoNothingIsSaid() throws SQLException {
    assumeTrue(CRON_URL != null && !CRON_URL.isBlank(), "HEARTLOG_TEST_PGCRON_URL names no database with pg_cron");
    try (Connection connection = DriverManager.getConnection(CRON_URL); Statement statement = connection.createStatement()) {
      statement.execute("UPDATE cron.job SET active = false WHERE jobname = 'heartlog-maintain'");
    }

    Cli.Result longer = Cli.run("maintain", "--db-url", CRON_URL, "--retention", "7d");

    assertThat(longer.exitCode()).as(longer.err()).isZero();
    assertThat(longer.err()).isEmpty();
  }

  @Test
  void aStoreWithoutPgCronIsKeptAsLongAsTheFlagSaysSoNothingIsSaid() {
    Cli.Result longer = Cli.run("maintain", "--db-url", TestDatabase.migratedUrl(), "--retention", "7d");

    assertThat(longer.exitCode()).as(longer.err()).isZero();
    assertThat(longer.err()).isEmpty();
  }

  @Test
  @Timeout(120)
  void serveWithALongerRetentionSaysSoAtStart(@TempDir Path home) throws Exception {
    assumeTrue(CRON_URL != null && !CRON_URL.isBlank(), "HEARTLOG_TEST_PGCRON_URL names no database with pg_cron");
    Path stderr = home.resolve("stderr");
    Process serve = new ProcessBuilder(TestJvm.main(Main.class, "serve", "--port", "0", "--db-url", CRON_URL,
        "--home", home.toString(), "--retention", "7d"))
        .redirectOutput(home.resolve("stdout").toFile()).redirectError(stderr.toFile()).start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(stderr).contains("\n"));
    } finally {
      serve.toHandle().destroy();
      assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    assertThat(Files.readString(stderr).lines()).contains("heartlog serve: warning: " + WARNING);
  }
}
