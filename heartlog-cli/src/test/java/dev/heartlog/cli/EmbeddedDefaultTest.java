package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.heartlog.store.TestJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With no database configured, the demo runs on the embedded PostgreSQL in the home folder, and
 * a later command (a new start of the embedded server) reads what it stored.
 */
class EmbeddedDefaultTest {

  @TempDir Path home;

  @Test
  @Timeout(180)
  void demoThenTaskReadTheSameEmbeddedStore() throws Exception {
    Path folder = home.resolve("my fleet's logs");
    Cli.Result demo = Cli.run("demo", "--home", folder.toString(), "--workers", "1", "--duration", "3s", "--interval", "500ms");
    Matcher failed = Pattern.compile("\\(task ([0-9a-f-]{36}) failed\\)").matcher(demo.out());
    assertThat(demo.exitCode()).as(demo.err()).isZero();
    assertThat(failed.find()).as(demo.out()).isTrue();
    Matcher command = Pattern.compile("heartlog (task " + failed.group(1) + " .*)").matcher(demo.out());
    assertThat(command.find()).as(demo.out()).isTrue();

    // The command the demo prints, as a shell splits it when the user pastes it.
    Cli.Result task = Cli.run(shellWords(command.group(1)));

    assertThat(task.exitCode()).as(task.err()).isZero();
    assertThat(task.out()).contains("FAILED").contains("CUDA out of memory");
    assertThat(folder.resolve("postgres").resolve("PG_VERSION")).exists();
  }

  private static String[] shellWords(String commandLine) throws Exception {
    Process shell = new ProcessBuilder("sh", "-c", "printf '%s\\0' " + commandLine).start();
    String words = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(shell.waitFor()).isZero();
    return words.substring(0, words.length() - 1).split("\\x00");
  }

  /**
   * A home folder heartlog cannot make (a read-only checkout, a path through a file): the JDK's
   * exception carried the path alone, and the command said "cannot start the embedded PostgreSQL
   * in /srv/ro/heartlog-data: /srv/ro/heartlog-data".
   */
  @Test
  void aHomeFolderThatCannotBeMadeIsSaidWithWhatToGiveInstead() throws Exception {
    Path file = Files.writeString(home.resolve("a-file"), "");
    Path under = file.resolve("heartlog-data");

    Cli.Result result = Cli.run("workers", "--home", under.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("heartlog: cannot start the embedded PostgreSQL in " + under + ": " + under
        + ": Not a directory; give --home (or HEARTLOG_HOME) a folder heartlog may write in, or --db-url"
        + System.lineSeparator());
  }

  @Test
  @Timeout(120)
  void anEmptyPgportInTheEnvironmentIsNamedInsteadOfAMinutesWait() throws Exception {
    // As `export PGPORT=` in a profile, or an env file's `PGPORT=`.
    assertThat(failedWorkersCommandWith("PGPORT", "")).isEqualTo("heartlog: cannot start the embedded PostgreSQL in "
        + home.toAbsolutePath() + ": the environment's PGPORT ('') is no port, and PostgreSQL will not start with it: "
        + "unset it, or give --db-url" + System.lineSeparator());
  }

  @Test
  @Timeout(120)
  void whenTheServerWillNotStartItsOwnReasonIsSaid() throws Exception {
    // Read by initdb and the server before their options.
    assertThat(failedWorkersCommandWith("PGDATESTYLE", "nonsense")).isEqualTo("heartlog: cannot start the embedded "
        + "PostgreSQL in " + home.toAbsolutePath() + ": FATAL: invalid value for parameter \"DateStyle\": \"nonsense\" "
        + "(its log: " + home.toAbsolutePath().resolve("postgres.log") + ")" + System.lineSeparator());
  }

  /**
   * An embedded server that will not start is a store that is down: heartlog run runs the worker
   * all the same, and its records wait in the spool for the next start of that worker. Before,
   * heartlog run exited with code 1 without running the worker.
   */
  @Test
  @Timeout(180)
  void aWorkerRunsThoughTheEmbeddedServerWillNotStartAndItsRecordsComeLater() {
    // Without HEARTLOG_SPOOL_DIR (the tests' own is set for every test; blank is unset).
    Cli.Result withoutStore = Cli.runInItsOwnJvm(Map.of("PGPORT", "", "HEARTLOG_SPOOL_DIR", ""), "run", "--home",
        home.toString(), "--worker", "no-store", "--", "sh", "-c", "echo rendered frame 1");

    assertThat(withoutStore.exitCode()).as(withoutStore.err()).isZero();
    assertThat(withoutStore.out()).isEqualTo("rendered frame 1\n");
    assertThat(withoutStore.err()).contains("heartlog: cannot start the embedded PostgreSQL in " + home.toAbsolutePath()
        + ": the environment's PGPORT ('') is no port, and PostgreSQL will not start with it: unset it, or give --db-url; "
        + "the worker runs all the same, and its records wait in " + home.toAbsolutePath().resolve("spool")
        + " for a start of this worker that finds the store");

    Cli.Result withStore = Cli.runInItsOwnJvm(Map.of("HEARTLOG_SPOOL_DIR", ""), "run", "--home", home.toString(),
        "--worker", "no-store", "--", "sh", "-c", "echo rendered frame 2");
    Cli.Result logs = Cli.run("logs", "--worker", "no-store", "--home", home.toString());

    assertThat(withStore.exitCode()).as(withStore.err()).isZero();
    assertThat(logs.out().lines().map(line -> line.replaceAll("^.*no-store  ", "")))
        .containsExactly("rendered frame 1", "rendered frame 2");
  }

  /** HEARTLOG_SPOOL_DIR (a larger disk than the home's) holds them instead; before, the home's spool did all the same. */
  @Test
  @Timeout(180)
  void theSpoolFolderTheEnvironmentNamesHoldsTheRecordsOfAWorkerWithoutItsStore() throws Exception {
    Path elsewhere = home.resolve("larger-disk").resolve("spool");
    Cli.Result withoutStore = Cli.runInItsOwnJvm(Map.of("PGPORT", "", "HEARTLOG_SPOOL_DIR", elsewhere.toString()), "run",
        "--home", home.toString(), "--worker", "spooled-elsewhere", "--", "sh", "-c", "echo rendered frame 1");

    assertThat(withoutStore.exitCode()).as(withoutStore.err()).isZero();
    assertThat(withoutStore.err()).contains("the worker runs all the same, and its records wait in "
        + elsewhere.toAbsolutePath() + " for a start of this worker that finds the store");
    assertThat(elsewhere.resolve("spooled-elsewhere")).isDirectoryContaining(path -> path.toFile().length() > 0);
    assertThat(home.resolve("spool").resolve("spooled-elsewhere")).doesNotExist();

    Cli.Result withStore = Cli.runInItsOwnJvm(Map.of("HEARTLOG_SPOOL_DIR", elsewhere.toString()), "run",
        "--home", home.toString(), "--worker", "spooled-elsewhere", "--", "sh", "-c", "echo rendered frame 2");
    Cli.Result logs = Cli.run("logs", "--worker", "spooled-elsewhere", "--home", home.toString());

    assertThat(withStore.exitCode()).as(withStore.err()).isZero();
    assertThat(logs.out().lines().map(line -> line.replaceAll("^.*spooled-elsewhere  ", "")))
        .containsExactly("rendered frame 1", "rendered frame 2");
  }

  /**
   * heartlog run on the embedded store, stopped by SIGTERM: it exits with its worker's code, as
   * on a store of its own (ContainerStopTest), once the embedded PostgreSQL has stopped, not
   * with the 143 of the signal.
   */
  @Test
  @Timeout(120)
  void stoppedBySigtermHeartlogRunExitsWithItsWorkersCode() throws Exception {
    Path ready = home.resolve("ready");
    Process run = new ProcessBuilder(TestJvm.main(Main.class, "run", "--home", home.toString(),
        "--worker", "embedded-stop", "--", "sh", "-c",
        "trap 'echo stopping cleanly; exit 0' TERM; touch " + ready + "; while true; do sleep 0.1; done"))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(ready));

      run.destroy();   // SIGTERM

      assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(run.exitValue()).as("the worker's 0, not 143").isZero();
    } finally {
      run.destroyForcibly();
    }
    Cli.Result logs = Cli.run("logs", "--worker", "embedded-stop", "--home", home.toString());
    assertThat(logs.out()).contains("stopping cleanly");
  }

  /**
   * {@code HEARTLOG_HOME=}, as a compose file or an {@code .env} leaves it: the default folder,
   * where the embedded store's data files went into the working folder itself.
   */
  @Test
  @Timeout(120)
  void aBlankHomeVariableIsTheDefaultFolderNotTheWorkingFolder() throws Exception {
    ProcessBuilder workers = new ProcessBuilder(TestJvm.main(Main.class, "workers")).directory(home.toFile());
    workers.environment().put("HEARTLOG_HOME", "");
    workers.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process process = workers.start();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.waitFor()).as(err).isZero();
    assertThat(home.resolve(StoreOptions.DEFAULT_HOME).resolve("postgres").resolve("PG_VERSION")).exists();
    assertThat(home.resolve("postgres")).doesNotExist();
  }

  /** {@code heartlog workers} on the embedded store, in a JVM with one more environment variable: its stderr, once it failed. */
  private String failedWorkersCommandWith(String variable, String value) throws Exception {
    ProcessBuilder workers = new ProcessBuilder(TestJvm.main(Main.class, "workers", "--home", home.toString()));
    workers.environment().put(variable, value);
    workers.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process process = workers.start();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(err).isEqualTo(1);
    return err;
  }
}
