package dev.heartlog.cli;

import dev.heartlog.store.ScheduledMaintenance;
import dev.heartlog.store.Store;
import dev.heartlog.store.TimeSpec;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** The {@code --retention} of {@code serve} and {@code maintain}. */
final class RetentionOption {

  private RetentionOption() {}

  /**
   * A length with its unit, an hour or more, or a bad
   * flag. A bare {@code 48} would be 48 seconds, and maintenance would delete every earlier day.
   */
  static Duration parse(CommandSpec spec, String text) {
    Duration kept;
    try {
      kept = TimeSpec.length("--retention", text);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (kept.compareTo(Store.MIN_RETENTION) < 0) {
      throw new ParameterException(spec.commandLine(), "--retention must be at least 1h (got '" + text
          + "'): what is older is deleted, records and heartbeats alike");
    }
    return kept;
  }

  /**
   * What to say where pg_cron's hourly job keeps less than {@code kept}: that job keeps the
   * store's retention, so within the hour it drops what this command's runs were asked to keep.
   * Best effort: a store that cannot say (a login pg_cron hides the job from, a standby's
   * primary) is taken to have no job.
   */
  static Optional<String> cronKeepsLess(Store store, Duration kept) {
    Optional<ScheduledMaintenance> job;
    try {
      job = store.scheduledMaintenance();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    return job.filter(scheduled -> scheduled.retention().compareTo(kept) < 0).map(scheduled -> "--retention "
        + text(kept) + " holds for this command's runs only: pg_cron's hourly job heartlog-maintain keeps the store's "
        + text(scheduled.retention()) + " and drops what is older within the hour; to keep " + text(kept)
        + ", set the store's retention: ALTER DATABASE " + identifier(scheduled.database())
        + " SET heartlog.retention = '" + interval(kept) + "'");
  }

  /** A retention as the flag takes it: {@code 7d}, {@code 48h}, {@code 90m}; hours up to 3 days, as the seed's 48. */
  static String text(Duration length) {
    long seconds = length.toSeconds();
    if (seconds % 86_400 == 0 && seconds >= 3 * 86_400) {
      return seconds / 86_400 + "d";
    }
    if (seconds % 3_600 == 0) {
      return seconds / 3_600 + "h";
    }
    return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
  }

  /** A retention as PostgreSQL reads an interval: {@code 7 days}, {@code 36 hours}. */
  static String interval(Duration length) {
    long seconds = length.toSeconds();
    if (seconds % 86_400 == 0) {
      return seconds / 86_400 + " days";
    }
    if (seconds % 3_600 == 0) {
      return seconds / 3_600 + " hours";
    }
    return seconds % 60 == 0 ? seconds / 60 + " minutes" : seconds + " seconds";
  }

  /** A database's name as SQL names it, quoted where it must be. */
  static String identifier(String name) {
    return name.matches("[a-z_][a-z0-9_$]*") ? name : '"' + name.replace("\"", "\"\"") + '"';
  }
}
