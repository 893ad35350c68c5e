package dev.heartlog.cli;

import dev.heartlog.store.TestJvm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
   * Runs the command line in a JVM of its own, as {@code bin/heartlog} does: logging starts there
   * as it does for a user, not already started by the tests before.
   */
  static Result runInItsOwnJvm(String... args) {
    return runInItsOwnJvm(Map.of(), args);
  }

  /**
   * As {@link #runInItsOwnJvm(String...)}, with these variables in its environment. The tests' own
   * database variables are left out (every {@code PG*} and {@code HEARTLOG_DB_*} one), and the
   * password file is an empty one unless {@code PGPASSFILE} is given, so that the machine's
   * {@code ~/.pgpass} plays no part.
   */
  static Result runInItsOwnJvm(Map<String, String> variables, String... args) {
    return runInItsOwnJvm(List.of(), variables, args);
  }

  /**
   * As {@link #runInItsOwnJvm(String...)}, its JVM started by this launcher ({@code unshare
   * --pid --fork}, to be a container's first process).
   */
  static Result runInItsOwnJvm(List<String> launcher, String... args) {
    return runInItsOwnJvm(launcher, Map.of(), args);
  }

  private static Result runInItsOwnJvm(List<String> launcher, Map<String, String> variables, String... args) {
    List<String> command = new ArrayList<>(launcher);
    command.addAll(TestJvm.main(Main.class));
    command.addAll(List.of(args));
    try {
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().keySet().removeIf(name -> name.startsWith("PG") || name.startsWith("HEARTLOG_DB_"));
      builder.environment().put("PGPASSFILE", "/dev/null");
      builder.environment().putAll(variables);
      Process process = builder.start();
      CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Result(process.waitFor(), out, new String(err.join(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the command ran", e);
    }
  }

  private static byte[] readAll(InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
