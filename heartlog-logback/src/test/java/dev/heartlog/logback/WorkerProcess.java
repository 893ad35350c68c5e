package dev.heartlog.logback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.TestJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A worker in a JVM of its own, configured by one of the test logback files with its worker id
 * and store ({@code heartlog.test.worker}, {@code heartlog.test.url}): for what only a real
 * process shows, such as a signal and the JVM's shutdown hooks.
 */
final class WorkerProcess {

  private WorkerProcess() {}

  /** Starts {@code main} with {@code args} in {@code folder} and waits until it prints "ready". */
  static Process startAndAwaitReady(Path folder, String logbackFile, String worker, String url, Class<?> main,
      String... args) throws IOException {
    return startAndAwaitReady(System.getProperty("java.class.path"), folder, logbackFile, worker, url, main, args);
  }

  /** As above, on {@code classPath} instead of the tests' own. */
  static Process startAndAwaitReady(String classPath, Path folder, String logbackFile, String worker, String url,
      Class<?> main, String... args) throws IOException {
    List<String> command = TestJvm.java(
        "-Dlogback.configurationFile=" + Path.of("target", "test-classes", logbackFile).toAbsolutePath(),
        "-Dheartlog.test.worker=" + worker, "-Dheartlog.test.url=" + url,
        "-cp", classPath, main.getName());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true).start();
    BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    String line;
    while ((line = output.readLine()) != null && !line.equals("ready")) {
      seen.append(line).append('\n');
    }
    assertThat(line).as(seen.toString()).isEqualTo("ready");
    return process;
  }
}
