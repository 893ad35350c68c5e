package dev.heartlog.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The worker of the graceful-shutdown tests, whatever it logs through (Logback, Log4j 2,
 * {@code java.util.logging}): on SIGTERM its shutdown hook logs, finishes its task and logs again,
 * beside heartlog's hook. Those records are the ones that say how a worker stopped. Each module's
 * {@code main} calls {@link #run} with its framework's {@code info}; the test starts that {@code
 * main} in a JVM of its own with {@link #start}.
 */
public final class GracefulWorker {

  /** What the worker's {@code main} prints once its hook is registered. */
  public static final String READY = "ready";

  private GracefulWorker() {}

  /** Registers the hook, logs "worker started", says {@link #READY} and waits to be stopped. */
  public static void run(Duration finishing, Consumer<String> info) throws InterruptedException {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      info.accept("asked to stop, finishing the task");
      try {
        Thread.sleep(finishing.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      info.accept("task finished, exiting");
    }, "graceful-stop"));
    info.accept("worker started");
    System.out.println(READY);
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  /**
   * Starts {@code command} (a {@code java} command line) in {@code folder}, waits until it says
   * {@link #READY}, and reads the rest of its output on a daemon thread so that it never blocks on
   * a full pipe.
   *
   * @throws IllegalStateException with what it printed, if it ended before it was ready
   */
  public static Process start(List<String> command, Path folder) throws IOException {
    Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true).start();
    BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    String line;
    while ((line = output.readLine()) != null && !line.equals(READY)) {
      seen.append(line).append('\n');
    }
    if (line == null) {
      throw new IllegalStateException("the worker ended before it was ready:\n" + seen);
    }
    Thread drain = new Thread(() -> output.lines().forEach(ignored -> { }));
    drain.setDaemon(true);
    drain.start();
    return process;
  }

}
