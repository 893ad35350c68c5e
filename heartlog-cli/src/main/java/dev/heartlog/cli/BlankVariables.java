package dev.heartlog.cli;

import java.util.ArrayList;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Reads a variable set blank as unset, where an option's default names it ({@code
 * ${env:HEARTLOG_DB_USER:-${env:PGUSER}}}), as the agent reads its variables. Picocli takes a
 * blank variable for a value, and a compose file's or an {@code .env}'s {@code HEARTLOG_DB_USER=}
 * then overrode the user the URL named ("no PostgreSQL user name specified"); {@code
 * HEARTLOG_DB_POOL=} was "'' is not an int", {@code HEARTLOG_KEYS_FILE=} the working folder.
 */
final class BlankVariables {

  /** {@code ${env:NAME}} or {@code ${env:NAME:-what if it is unset}}, the whole default. */
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{env:(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?<otherwise>.*))?}");

  private BlankVariables() {}

  /** Gives every option of every command whose default names a variable the default read so. */
  static void readAsUnset(CommandLine commandLine, UnaryOperator<String> environment) {
    CommandSpec spec = commandLine.getCommandSpec();
    for (OptionSpec option : new ArrayList<>(spec.options())) {
      OptionSpec.Builder builder = option.toBuilder();
      String original = builder.defaultValue();   // as annotated, before picocli read the variables
      if (original != null && VARIABLE.matcher(original).matches()) {
        String value = defaultOf(original, environment);
        spec.remove(option);
        // A value is interpolated as the annotation was: "${" in it (a password) stays as it is.
        spec.addOption(builder.defaultValue(value == null ? null : value.replace("${", "$${")).build());
      }
    }
    commandLine.getSubcommands().values().forEach(command -> readAsUnset(command, environment));
  }

  /**
   * The default an option's {@code ${env:...}} gives, a blank variable read as unset: the
   * variable's value, else what follows {@code :-} (itself read so), else null.
   */
  static String defaultOf(String original, UnaryOperator<String> environment) {
    Matcher variable = VARIABLE.matcher(original);
    if (!variable.matches()) {
      return original;   // the literal after :-
    }
    String value = environment.apply(variable.group("name"));
    if (value != null && !value.isBlank()) {
      return value;
    }
    String otherwise = variable.group("otherwise");
    return otherwise == null ? null : defaultOf(otherwise, environment);
  }
}
