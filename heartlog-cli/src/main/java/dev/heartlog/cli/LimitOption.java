package dev.heartlog.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * How many rows a listing shows ({@code --limit}), checked alike for every command that takes
 * it, as {@link DurationOption} checks a length of time.
 */
final class LimitOption {

  private LimitOption() {}

  /**
   * The limit, more than zero.
   *
   * @throws ParameterException (exit code 2, with the command's hint) for zero or less
   */
  static int positive(CommandSpec spec, int limit) {
    if (limit <= 0) {
      throw new ParameterException(spec.commandLine(), "--limit must be positive (got " + limit + ")");
    }
    return limit;
  }
}
