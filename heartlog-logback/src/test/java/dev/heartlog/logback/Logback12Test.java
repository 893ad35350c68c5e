package dev.heartlog.logback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.TestDatabase;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The appender, built against Logback 1.5, in a worker on Spring Boot 2's Logback 1.2 and SLF4J
 * 1.7, whose events have no key-value pairs, no list of markers and no {@link Instant}. The build
 * copies those jars to {@code target/logback-1.2}; they replace the tests' own Logback and SLF4J
 * on the worker's class path. Before, the worker's first log call threw {@link NoSuchMethodError}.
 */
class Logback12Test {

  private static final Path LOGBACK_12 = Path.of("target", "logback-1.2");

  @TempDir Path workingFolder;

  @Test
  @Timeout(120)
  void aWorkerOnSpringBoot2sLogbackLogsAsOnAnyOther() throws Exception {
    String url = TestDatabase.migratedUrl();
    Instant before = Instant.now();

    Process worker = WorkerProcess.startAndAwaitReady(classPathWithLogback12(), workingFolder, "logback-graceful.xml",
        "boot2-worker", url, SpringBoot2WorkerMain.class);
    String output = new String(worker.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(worker.exitValue()).as(output).isZero();
    assertThat(TestDatabase.single(url, "SELECT string_agg(concat_ws(' ', level, task_id, message, metadata->>'model', "
        + "metadata->>'markers'), ' | ' ORDER BY seq, id) FROM system_logs WHERE source_id = 'boot2-worker'"))
        .isEqualTo("INFO boot2-task frame 1 of 24 wan2.1 | WARNING boot2-task VRAM above 90% wan2.1 [\"GPU\"] "
            + "| ERROR boot2-task render failed wan2.1 | INFO idle");
    assertThat(TestDatabase.single(url, "SELECT metadata->>'exception' FROM system_logs WHERE level = 'ERROR'"))
        .startsWith("java.lang.IllegalStateException: CUDA out of memory")
        .contains("at dev.heartlog.logback.SpringBoot2WorkerMain.main");
    assertThat(TestDatabase.single(url, "SELECT count(*) FROM system_logs WHERE timestamp BETWEEN '" + before
        + "'::timestamptz AND now()")).as("stamped with the events' own times").isEqualTo("4");
  }

  /** The tests' class path with Logback 1.2 and SLF4J 1.7 instead of the build's Logback and SLF4J 2. */
  private static String classPathWithLogback12() throws IOException {
    List<String> replaced = List.of("logback-classic-", "logback-core-", "slf4j-api-", "jul-to-slf4j-");
    Stream<String> kept = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> replaced.stream().noneMatch(Path.of(entry).getFileName().toString()::startsWith));
    try (Stream<Path> jars = Files.list(LOGBACK_12)) {
      List<String> old = jars.map(jar -> jar.toAbsolutePath().toString()).toList();
      assertThat(old).as("copied by the build").hasSize(3);
      return Stream.concat(old.stream(), kept).collect(Collectors.joining(File.pathSeparator));
    }
  }
}
