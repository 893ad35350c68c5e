package dev.heartlog.cli;

import dev.heartlog.store.Store;
import dev.heartlog.store.TimeSpec;
import java.time.Duration;
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
}
