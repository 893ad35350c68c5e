package dev.heartlog.cli;

import dev.heartlog.agent.AgentEnvironment;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * A length of time given to an option ({@code --interval 20s}, {@code --stale-after 90s}) in the
 * agent's notation (20, 20s, 500ms, 5m, 1h), read once for every command that takes one.
 */
final class DurationOption {

  private DurationOption() {}

  /**
   * The option's value, more than zero.
   *
   * @throws ParameterException (exit code 2, with the command's hint) for a text that is not a
   *     length of time, or one of zero or less
   */
  static Duration positive(CommandSpec spec, String option, String value) {
    Duration parsed;
    try {
      parsed = AgentEnvironment.duration(option, value);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (parsed.isZero() || parsed.isNegative()) {
      throw new ParameterException(spec.commandLine(), option + " must be positive (got '" + value + "')");
    }
    return parsed;
  }
}
