package dev.heartlog.cli;

import dev.heartlog.store.NearNames;
import dev.heartlog.store.StoreException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/** {@code heartlog}: the command line over the store. */
@Command(
    name = "heartlog",
    mixinStandardHelpOptions = true,
    version = "heartlog 0.1.0",
    description = "Centralized logs of job-queue and GPU workers, shipped on their heartbeat.",
    subcommands = {
      DemoCommand.class,
      ServeCommand.class,
      RunCommand.class,
      LogsCommand.class,
      TaskCommand.class,
      TasksCommand.class,
      ErrorsCommand.class,
      VolumeCommand.class,
      WorkerCommand.class,
      WorkersCommand.class,
      MigrateCommand.class,
      MaintainCommand.class,
      GrantCommand.class,
      RevokeCommand.class,
      TokenCommand.class,
      CommandLine.HelpCommand.class,
    })
public final class Main implements Runnable {

  /** Exit code of a failure that is not a usage error: store unreachable, unknown id. */
  static final int FAILURE = 1;

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line; tests call {@code execute} on it with captured writers. */
  static CommandLine commandLine() {
    return commandLine(System::getenv);
  }

  /** The configured command line, its options' variables read from {@code environment}. */
  static CommandLine commandLine(UnaryOperator<String> environment) {
    CommandLine commandLine = new CommandLine(new Main());
    Map<OptionSpec, String> setByVariables = BlankVariables.readAsUnset(commandLine, environment);
    // The C locale of many containers: Java would print every non-ASCII character of a record
    // (the seed worker's ✅ and ❌, names, paths) as '?'. UTF-8 keeps them, and ASCII is the same.
    Charset charset = StandardCharsets.US_ASCII.equals(Charset.defaultCharset()) ? StandardCharsets.UTF_8
        : Charset.defaultCharset();
    // Straight onto System.out, not through a writer of picocli's: checkError() then sees a pipe
    // whose reader went away (LogsCommand).
    commandLine.setOut(new PrintWriter(System.out, true, charset));
    commandLine.setErr(new PrintWriter(System.err, true, charset));
    commandLine.setExecutionExceptionHandler(
        (exception, cmd, parseResult) -> {
          cmd.getErr().println("heartlog: " + sentence(exception));
          cmd.getErr().flush();
          return FAILURE;
        });
    commandLine.setParameterExceptionHandler(
        (exception, args) -> {
          CommandLine cmd = exception.getCommandLine();
          cmd.getErr().println("heartlog: " + BlankVariables.namingVariables(sentence(exception), cmd.getCommandSpec(),
              List.of(args), setByVariables));
          cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
          cmd.getErr().flush();
          return cmd.getCommandSpec().exitCodeOnInvalidInput();
        });
    return commandLine;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * A flag or command the command line does not know, named alone with the nearest it knows where
   * one is near ({@link NearNames}; for {@code --wroker x} picocli said "Unknown options:
   * '--wroker', 'x'", taking the flag's value for a flag); other bad flags in picocli's words or
   * the command's.
   */
  static String sentence(CommandLine.ParameterException exception) {
    if (!(exception instanceof CommandLine.UnmatchedArgumentException unmatched) || unmatched.getUnmatched().isEmpty()) {
      return exception.getMessage();
    }
    String first = unmatched.getUnmatched().get(0);
    CommandSpec spec = exception.getCommandLine().getCommandSpec();
    String what;
    List<String> near;
    if (unmatched.isUnknownOption()) {
      String flag = first.startsWith("--") && first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
      what = "unknown option '" + flag + "'";
      near = NearNames.to(flag, spec.options().stream().map(OptionSpec::longestName).toList());
    } else if (!spec.subcommands().isEmpty()) {
      what = "'" + first + "' is not a " + spec.qualifiedName() + " command";
      near = NearNames.to(first, spec.subcommands().keySet().stream().filter(name -> !name.equals("help")).toList());
    } else {
      return exception.getMessage();
    }
    return near.isEmpty() ? what : what + "; did you mean " + String.join(" or ", near) + "?";
  }

  private static String sentence(Exception exception) {
    if (exception instanceof StoreException || exception instanceof IllegalArgumentException) {
      return exception.getMessage();
    }
    return "unexpected " + exception;
  }
}
