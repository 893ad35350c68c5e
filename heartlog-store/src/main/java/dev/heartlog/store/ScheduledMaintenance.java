package dev.heartlog.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/**
 * pg_cron's hourly {@code heartlog-maintain} job in this database, which {@code heartlog migrate}
 * schedules where the extension is installed (Supabase has it). The job keeps the store's
 * retention, so a {@code --retention} longer than that holds for the runs of the command given it
 * only: the job drops the rest within the hour.
 *
 * @param database the database the job runs in
 * @param retention what the job keeps: the database's {@code heartlog.retention}, else 48 hours
 */
public record ScheduledMaintenance(String database, Duration retention) {

  /**
   * The job, where it is scheduled in this database and active. Empty where pg_cron is missing or
   * the job was unscheduled, and where pg_cron hides it from this login (its table shows a login
   * its own jobs only; a superuser sees all).
   */
  static Optional<ScheduledMaintenance> read(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      try (ResultSet cron = statement.executeQuery("SELECT to_regclass('cron.job') IS NOT NULL")) {
        if (!cron.next() || !cron.getBoolean(1)) {
          return Optional.empty();
        }
      }
      try (ResultSet job = statement.executeQuery("""
          SELECT current_database() AS database, extract(epoch FROM heartlog_retention())::bigint AS retention_s
          FROM cron.job
          WHERE jobname = 'heartlog-maintain' AND active AND database = current_database()
          LIMIT 1""")) {
        return job.next()
            ? Optional.of(new ScheduledMaintenance(job.getString("database"), Duration.ofSeconds(job.getLong("retention_s"))))
            : Optional.empty();
      }
    }
  }
}
