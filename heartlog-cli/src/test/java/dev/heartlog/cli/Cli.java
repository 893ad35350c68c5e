package dev.heartlog.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line as a user would, with its output captured. */
final class Cli {

  record Result(int exitCode, String out, String err) {}

  private Cli() {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode =
        Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    return new Result(exitCode, out.toString(), err.toString());
  }
}
