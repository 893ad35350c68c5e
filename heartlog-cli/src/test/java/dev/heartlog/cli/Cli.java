package dev.heartlog.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs the command line as a user would, with its output captured. */
final class Cli {

  record Result(int exitCode, String out, String err) {}

  private Cli() {}

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine commandLine = commandLine(out, err);
    int exitCode = commandLine.execute(args);
    commandLine.getOut().flush();
    commandLine.getErr().flush();
    return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * The command line writing to these streams: its messages, and what {@code heartlog run} passes
   * on from the worker it wraps (byte for byte, not through picocli's writers).
   */
  static CommandLine commandLine(ByteArrayOutputStream out, ByteArrayOutputStream err) {
    CommandLine commandLine = Main.commandLine()
        .setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true))
        .setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
    RunCommand run = commandLine.getSubcommands().get("run").getCommand();
    run.stdout = out;
    run.stderr = err;
    return commandLine;
  }
}
