package dev.heartlog.cli;

import static dev.heartlog.cli.WrappedWorkers.records;
import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * heartlog run as a container's first process: started in a PID namespace of its own ({@code
 * unshare --pid --fork}, as Docker starts an image's {@code ENTRYPOINT}), it is PID 1, and the
 * processes its worker leaves behind become its children.
 */
@Timeout(60)
class FirstProcessTest {

  /** A second longer than two checks' periods: two checks come while the worker still runs. */
  private static final String WORKER_LEAVES_THREE_PROCESSES = String.join("\n",
      "#!/bin/sh",
      "echo 'worker started'",
      // Each shell exits at once, its background sleep outlives it and exits 0.1 s later: an
      // orphan that has exited, left for PID 1 to collect.
      "for i in 1 2 3; do sh -c 'sleep 0.1 &'; done",
      "sleep " + (2 * UnreapedProcesses.PERIOD.toSeconds() + 1),
      "echo 'worker done' >&2",
      "");

  private static final List<String> PID_NAMESPACE = List.of("unshare", "--pid", "--fork", "--mount-proc");

  @TempDir Path folder;

  /** A PID namespace of its own needs root, as the tests have in CI; elsewhere they are skipped. */
  @BeforeAll
  static void pidNamespacesCanBeMade() throws Exception {
    List<String> command = new ArrayList<>(PID_NAMESPACE);
    command.add("true");
    Process unshare = new ProcessBuilder(command).redirectErrorStream(true).start();
    String said = new String(unshare.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Assumptions.assumeTrue(unshare.waitFor() == 0, "unshare --pid needs root: " + said.strip());
  }

  @Test
  void asPidOneItSaysWhileTheWorkerRunsThatTheProcessesTheWorkerLeftAreNotCollected() throws IOException {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path worker = Files.writeString(folder.resolve("worker.sh"), WORKER_LEAVES_THREE_PROCESSES);

    Cli.Result result = Cli.runInItsOwnJvm(PID_NAMESPACE,
        "run", "--worker", "pid-one", "--db-url", url, "--interval", "500ms", "--", "sh", worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    String warning = "heartlog: 3 processes the worker started and left behind have exited";
    assertThat(result.err()).contains(warning, "docker run --init");
    assertThat(result.err().indexOf(warning)).as("said while the worker ran").isLessThan(result.err().indexOf("worker done"));
    List<StoredRecord> warnings = records(store, "pid-one").stream()
        .filter(r -> r.metadataJson().contains("\"unreaped_processes\": 3")).toList();
    assertThat(warnings).singleElement().satisfies(record -> {
      assertThat(record.level()).isEqualTo("WARNING");
      assertThat(record.message()).startsWith("3 processes the worker started and left behind have exited");
      assertThat(record.metadataJson()).contains("\"logger\": \"" + RunCommand.OWN_LOGGER + "\"");
    });
  }

  @Test
  void processesStillRunningOrCollectedByTheWorkerAreNoCauseForAWarning() throws IOException {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path worker = Files.writeString(folder.resolve("worker.sh"), String.join("\n",
        "#!/bin/sh",
        "echo 'worker started'",
        // Left behind but still running, PID 1's child as the others were: nothing to collect yet.
        "sh -c 'sleep 60 > /dev/null 2>&1 &'",
        // Started and collected by the worker itself.
        "sleep 0.1 & wait",
        "sleep " + (2 * UnreapedProcesses.PERIOD.toSeconds() + 1),
        "echo 'worker done' >&2",
        ""));

    Cli.Result result = Cli.runInItsOwnJvm(PID_NAMESPACE,
        "run", "--worker", "no-zombies", "--db-url", url, "--interval", "500ms", "--", "sh", worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.err()).contains("worker done").doesNotContain("left behind");
    assertThat(records(store, "no-zombies")).extracting(StoredRecord::message)
        .contains("worker started").noneMatch(message -> message.contains("left behind"));
  }
}
