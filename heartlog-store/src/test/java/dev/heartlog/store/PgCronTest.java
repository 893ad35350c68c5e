package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The store on a PostgreSQL with pg_cron, as Supabase's: migrating schedules maintenance hourly
 * inside the database, and that job keeps the database's retention. {@code
 * HEARTLOG_TEST_PGCRON_URL} names the database pg_cron runs in ({@code .ci/run} sets one up in
 * Debian's PostgreSQL 15 with postgresql-15-cron); without it the test is skipped.
 */
class PgCronTest {

  private static final String URL = System.getenv("HEARTLOG_TEST_PGCRON_URL");

  @Test
  void migratingSchedulesHourlyMaintenanceThatKeepsTheDatabasesRetention() throws SQLException {
    assumeTrue(URL != null && !URL.isBlank(), "HEARTLOG_TEST_PGCRON_URL names no database with pg_cron");
    try (Connection connection = DriverManager.getConnection(URL); Statement statement = connection.createStatement()) {
      // A clean database at every run: heartlog's objects gone, and pg_cron anew with no job.
      statement.execute("DROP EXTENSION IF EXISTS pg_cron CASCADE");
      statement.execute("DROP SCHEMA public CASCADE");
      statement.execute("CREATE SCHEMA public");
      statement.execute("CREATE EXTENSION pg_cron");
      statement.execute("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET heartlog.retention = %L', "
          + "current_database(), '24 hours'); END $$");
    }
    Store store = Store.open(URL, null, null);

    store.migrate();

    String command;
    try (Connection connection = DriverManager.getConnection(URL); Statement statement = connection.createStatement();
        ResultSet job = statement.executeQuery(
            "SELECT schedule, command FROM cron.job WHERE jobname = 'heartlog-maintain'")) {
      assertThat(job.next()).as("the job migrate scheduled").isTrue();
      assertThat(job.getString("schedule")).isEqualTo("17 * * * *");
      command = job.getString("command");
      statement.execute("""
          INSERT INTO worker_heartbeats (worker_id, received_at, status, records, logs_inserted)
          VALUES ('cron-30h', now() - interval '30 hours', 'active', 0, 0),
                 ('cron-20h', now() - interval '20 hours', 'active', 0, 0)""");
    }
    try (Connection connection = DriverManager.getConnection(URL); Statement statement = connection.createStatement()) {
      statement.execute(command);   // what pg_cron runs at 17 past every hour, on a connection of its own
      try (ResultSet left = statement.executeQuery(
          "SELECT string_agg(worker_id, ',' ORDER BY worker_id) FROM worker_heartbeats WHERE worker_id LIKE 'cron-%'")) {
        left.next();
        assertThat(left.getString(1)).as("the database's 24 hours kept").isEqualTo("cron-20h");
      }
    }
  }
}
