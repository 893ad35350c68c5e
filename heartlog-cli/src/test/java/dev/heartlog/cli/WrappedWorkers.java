package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.heartlog.store.LogFilter;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** What the tests of {@code heartlog run} read back from the store. */
final class WrappedWorkers {

  private WrappedWorkers() {}

  /**
   * {@code heartlog run} of {@code command} as {@code worker}, storing into {@code url}, with
   * {@code options} before the command and its embedded store's home in {@code folder}.
   */
  static Cli.Result heartlogRun(Path folder, String worker, String url, List<String> options, String... command) {
    List<String> args = new ArrayList<>(List.of("run", "--worker", worker, "--db-url", url,
        "--home", folder.resolve("home").toString()));
    args.addAll(options);
    args.add("--");
    args.addAll(List.of(command));
    return Cli.run(args.toArray(String[]::new));
  }

  /**
   * What a real worker printed, kept as a test resource under {@code /workers/}, printed again by
   * {@code cat} under heartlog run as {@code worker}: the records of its lines, heartlog run's own
   * and the exit's left out.
   */
  static List<StoredRecord> replayed(Path folder, String printed, String worker) throws Exception {
    return replayed(folder, printed, worker, "cat \"$0\"");
  }

  /** As {@link #replayed}, for what a real worker printed on stderr: printed again there. */
  static List<StoredRecord> replayedOnStderr(Path folder, String printed, String worker) throws Exception {
    return replayed(folder, printed, worker, "cat \"$0\" >&2");
  }

  private static List<StoredRecord> replayed(Path folder, String printed, String worker, String shell) throws Exception {
    Path file = Path.of(Objects.requireNonNull(WrappedWorkers.class.getResource("/workers/" + printed)).toURI());
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Cli.Result result = heartlogRun(folder, worker, url, List.of(), "sh", "-c", shell, file.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    return records(store, worker).stream().filter(record -> !record.message().startsWith("heartlog run"))
        .filter(record -> !record.message().startsWith("the worker process exited")).toList();
  }

  /** Every record stored for a worker, oldest first (100 at most). */
  static List<StoredRecord> records(Store store, String worker) {
    return store.logs(new LogFilter(worker, null, null, null, null, null, 100));
  }

  /** The records a worker's stderr lines made. */
  static List<StoredRecord> stderrRecords(Store store, String worker) {
    return records(store, worker).stream()
        .filter(r -> r.metadataJson().contains("\"stream\": \"stderr\"")).toList();
  }

  /** The record heartlog run made of the worker's exit. */
  static StoredRecord exitRecord(Store store, String worker) {
    List<StoredRecord> exits = records(store, worker).stream()
        .filter(r -> r.message().startsWith("the worker process exited")).toList();
    if (exits.size() != 1) {
      throw new AssertionError("expected one exit record for " + worker + ", found " + exits);
    }
    return exits.get(0);
  }

  /**
   * The jar of a logger a worker may print through, copied to target/worker-loggers by the build
   * (not on the tests' class path): the one whose name begins with {@code prefix}.
   */
  static Path workerLogger(String prefix) throws IOException {
    try (Stream<Path> jars = Files.list(Path.of(System.getProperty("heartlog.workerLoggers", "target/worker-loggers")))) {
      return jars.filter(jar -> jar.getFileName().toString().startsWith(prefix)).findFirst()
          .orElseThrow(() -> new IllegalStateException("no " + prefix + "*.jar in target/worker-loggers: run the build"));
    }
  }

  private static final Path GO = Path.of("/usr/bin/go");

  /** The Go program of this source, built in {@code folder}; the test is skipped where Go is not installed. */
  static Path goBuild(Path folder, Path source) throws IOException, InterruptedException {
    assumeTrue(Files.isExecutable(GO), "go is needed (Debian's golang-go)");
    String name = source.getFileName().toString().replace(".go", "");
    Path program = folder.resolve(name);
    ProcessBuilder build = new ProcessBuilder(GO.toString(), "build", "-o", program.toString(), source.toString())
        .redirectErrorStream(true);
    build.environment().put("GOCACHE", folder.resolve("gocache").toString());
    build.environment().put("GOPATH", folder.resolve("gopath").toString());
    Process compile = build.start();
    assertThat(compile.waitFor()).as(new String(compile.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    return program;
  }

  /** The jar (or folder) on the tests' class path that {@code type} was loaded from. */
  static Path jarOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
