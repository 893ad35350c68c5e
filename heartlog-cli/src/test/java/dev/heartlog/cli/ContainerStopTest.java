package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.heartlog.store.LogFilter;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import dev.heartlog.store.TestJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * heartlog run stopped as a container is: {@code docker stop} sends SIGTERM, and SIGKILL when the
 * container has not exited 10 s later ({@code -t}, Compose's {@code stop_grace_period}). The
 * worker here takes longer than any grace to stop, and the heartbeats come every 20 s as by
 * default: what it printed since the last one is in heartlog run's memory when the stop comes.
 */
@Timeout(60)
class ContainerStopTest {

  @TempDir Path folder;
  private final String url = TestDatabase.migratedUrl();
  private final Store store = Store.open(url, null, null);

  /** A worker that goes on printing numbered lines after SIGTERM, each also written to a file. */
  private Path stubbornWorker(Path printed) throws IOException {
    return Files.writeString(folder.resolve("worker.sh"), String.join("\n",
        "#!/bin/sh",
        "trap 'echo \"got SIGTERM, finishing the frame\"' TERM",
        "echo $$ > " + folder.resolve("worker.pid"),
        "i=0",
        "while true; do echo \"line $i\"; echo $i >> " + printed + "; i=$((i+1)); sleep 0.1; done",
        ""));
  }

  private Process start(String workerId, Path worker, String... options) throws IOException {
    List<String> command = TestJvm.main(Main.class, "run", "--worker", workerId, "--db-url", url);
    command.addAll(List.of(options));
    command.addAll(List.of("--", "sh", worker.toString()));
    return new ProcessBuilder(command)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  /** The messages stored for a worker: a second a worker prints 10 lines here, and 100 are too few. */
  private static List<String> stored(Store store, String workerId) {
    return store.logs(new LogFilter(workerId, null, null, null, null, null, 1000)).stream().map(StoredRecord::message).toList();
  }

  private static List<String> linesPrinted(Path printed) throws IOException {
    return Files.readAllLines(printed).stream().map(n -> "line " + n).toList();
  }

  /** heartlog run wrapping the stubborn worker, once the worker has printed 10 lines. */
  private Process startPrinting(String workerId, Path printed, String... options) throws IOException {
    Process run = start(workerId, stubbornWorker(printed), options);
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(printed) && Files.readAllLines(printed).size() >= 10);
    return run;
  }

  @Test
  void dockerStopsItWithinItsTenSecondsAndEveryLineAndTheWorkersEndAreStored() throws Exception {
    Path printed = folder.resolve("printed");
    Process run = startPrinting("docker-stopped", printed);

    run.destroy();   // docker stop: SIGTERM, then SIGKILL 10 s later
    boolean endedInTime = run.waitFor(10, TimeUnit.SECONDS);
    run.destroyForcibly();

    assertThat(endedInTime).as("heartlog run ended before docker stop's SIGKILL").isTrue();
    assertThat(run.exitValue()).as("the worker's exit code, not 143 for the SIGTERM heartlog run got").isEqualTo(137);
    assertThat(stored(store, "docker-stopped")).containsAll(linesPrinted(printed))
        .contains("got SIGTERM, finishing the frame", "the worker process was killed by signal 9 (SIGKILL) (exit code 137)");
    assertThat(store.workers(Store.DEFAULT_STALE_AFTER)).filteredOn(w -> w.id().equals("docker-stopped"))
        .singleElement().satisfies(w -> assertThat(w.health()).as("its last heartbeat came").isEqualTo("crashed"));
  }

  @Test
  void killedSoonerThanItsGraceItHasShippedWhatCameBeforeTheStop() throws Exception {
    Path printed = folder.resolve("printed");
    Process run = startPrinting("killed-early", printed);

    List<String> beforeTheStop = linesPrinted(printed);
    run.destroy();   // docker stop -t 3: SIGTERM, and SIGKILL to everything 3 s later
    TimeUnit.SECONDS.sleep(3);
    run.destroyForcibly().waitFor();
    long worker = Long.parseLong(Files.readString(folder.resolve("worker.pid")).trim());
    ProcessHandle.of(worker).ifPresent(ProcessHandle::destroyForcibly);

    assertThat(stored(store, "killed-early"))
        .containsAll(beforeTheStop).contains("got SIGTERM, finishing the frame");
  }

  @Test
  void stopGraceSetsTheWorkersTimeToStop() throws Exception {
    Path printed = folder.resolve("printed");
    Process run = startPrinting("given-less", printed, "--stop-grace", "2s");

    run.destroy();
    boolean ended = run.waitFor(RunCommand.STOP_GRACE.toSeconds() - 2, TimeUnit.SECONDS);
    run.destroyForcibly();

    assertThat(ended).as("ended before the default grace had passed").isTrue();
    assertThat(stored(store, "given-less"))
        .containsAll(linesPrinted(printed)).contains("the worker process was killed by signal 9 (SIGKILL) (exit code 137)");
  }
}
