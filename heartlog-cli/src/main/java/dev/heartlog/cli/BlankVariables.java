package dev.heartlog.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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

  /**
   * Gives every option of every command whose default names a variable the default read so.
   *
   * @return the options whose default a variable gives, each with that variable's name
   */
  static Map<OptionSpec, String> readAsUnset(CommandLine commandLine, UnaryOperator<String> environment) {
    Map<OptionSpec, String> setByVariables = new IdentityHashMap<>();
    readAsUnset(commandLine, environment, setByVariables);
    return setByVariables;
  }

  private static void readAsUnset(CommandLine commandLine, UnaryOperator<String> environment,
      Map<OptionSpec, String> setByVariables) {
    CommandSpec spec = commandLine.getCommandSpec();
    for (OptionSpec option : new ArrayList<>(spec.options())) {
      OptionSpec.Builder builder = option.toBuilder();
      String original = builder.defaultValue();   // as annotated, before picocli read the variables
      if (original != null && VARIABLE.matcher(original).matches()) {
        String value = defaultOf(original, environment);
        spec.remove(option);
        // A value is interpolated as the annotation was: "${" in it (a password) stays as it is.
        OptionSpec read = builder.defaultValue(value == null ? null : value.replace("${", "$${")).build();
        spec.addOption(read);
        String variable = variableOf(original, environment);
        if (variable != null) {
          setByVariables.put(read, variable);
        }
      }
    }
    commandLine.getSubcommands().values().forEach(command -> readAsUnset(command, environment, setByVariables));
  }

  /** The variable whose value {@link #defaultOf} gives, or null where none is set. */
  private static String variableOf(String original, UnaryOperator<String> environment) {
    Matcher variable = VARIABLE.matcher(original);
    if (!variable.matches()) {
      return null;
    }
    String value = environment.apply(variable.group("name"));
    if (value != null && !value.isBlank()) {
      return variable.group("name");
    }
    String otherwise = variable.group("otherwise");
    return otherwise == null ? null : variableOf(otherwise, environment);
  }

  /**
   * The message of a bad option value, saying which variable set it where the command line did
   * not give the option: {@code HEARTLOG_STOP_GRACE=abc} was refused as "--stop-grace must be a
   * duration ...", an option the user never typed, and {@code HEARTLOG_PORT=abc} as "Invalid
   * value for option '--port'". Now {@code --stop-grace (from HEARTLOG_STOP_GRACE) must be ...}.
   * For bad flags only (exit code 2): a failure's message may name an option as where a value
   * goes ("give the password in the URL, --db-password, HEARTLOG_DB_PASSWORD or PGPASSWORD").
   *
   * @param args the command line's arguments
   */
  static String namingVariables(String message, CommandSpec spec, List<String> args, Map<OptionSpec, String> setByVariables) {
    if (message == null) {
      return null;
    }
    List<String> given = args.contains("--") ? args.subList(0, args.indexOf("--")) : args;   // not the wrapped command's
    for (OptionSpec option : spec.options()) {
      String variable = setByVariables.get(option);
      if (variable == null || message.contains(variable) || Arrays.stream(option.names()).anyMatch(name -> isGiven(name, given))) {
        continue;
      }
      Matcher named = Pattern.compile("(?<![\\w-])'?" + Pattern.quote(option.longestName()) + "(?![\\w-])'?").matcher(message);
      if (named.find()) {
        return message.substring(0, named.end()) + " (from " + variable + ")" + message.substring(named.end());
      }
    }
    return message;
  }

  private static boolean isGiven(String name, List<String> args) {
    return args.stream().anyMatch(arg -> arg.equals(name) || arg.startsWith(name + "="));
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
