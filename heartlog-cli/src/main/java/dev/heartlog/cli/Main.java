package dev.heartlog.cli;

import dev.heartlog.store.StoreException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
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
      WorkerCommand.class,
      WorkersCommand.class,
      MigrateCommand.class,
      MaintainCommand.class,
      GrantCommand.class,
      RevokeCommand.class,
      TokenCommand.class,
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
    CommandLine commandLine = new CommandLine(new Main());
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
          cmd.getErr().println("heartlog: " + exception.getMessage());
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

  private static String sentence(Exception exception) {
    if (exception instanceof StoreException || exception instanceof IllegalArgumentException) {
      return exception.getMessage();
    }
    return "unexpected " + exception;
  }
}
