package dev.heartlog.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Ids and names given blank, as {@code logs --worker "$WORKER"} gives one where the variable was
 * never set: a bad flag (exit code 2). Before, the blank id was looked for, and the command said
 * only that no record matched, as for a worker that logged nothing.
 */
final class BlankValues {

  private BlankValues() {}

  /** Refuses a worker id given blank; {@code name} is the flag, or null for the command's argument. */
  static void refuseWorker(CommandSpec spec, String name, String value) {
    refuse(spec, name == null ? "the worker id" : name, value, "a worker's id (heartlog workers lists them)");
  }

  /** Refuses a task id given blank; {@code name} is the flag, or null for the command's argument. */
  static void refuseTask(CommandSpec spec, String name, String value) {
    refuse(spec, name == null ? "the task id" : name, value, "a task's id (heartlog tasks lists them)");
  }

  /**
   * Refuses the start of workers' ids given blank ({@code --workers "$PREFIX"} of a variable never
   * set): blank, it meant any worker, a writer or a token that may send as the whole fleet, where
   * {@code '*'} says so on purpose.
   */
  static void refusePrefix(CommandSpec spec, String name, String value) {
    refuse(spec, name, value, "the start of the workers' ids, or '*' for any worker");
  }

  /** Refuses a database login given blank. */
  static void refuseLogin(CommandSpec spec, String value) {
    refuse(spec, "LOGIN", value, "the database login's name");
  }

  /** Refuses a value of flag {@code what} given blank, saying what to give: {@code wanted}. */
  static void refuse(CommandSpec spec, String what, String value, String wanted) {
    if (value != null && value.isBlank()) {
      throw new ParameterException(spec.commandLine(), what + " is blank: give " + wanted);
    }
  }
}
