package dev.heartlog.cli;

import static dev.heartlog.cli.WrappedWorkers.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.heartlog.store.RecentTask;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TaskFilter;
import dev.heartlog.store.TestDatabase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A real RQ worker (Debian's python3-rq, on Debian's redis-server) wrapped by heartlog run. */
@Timeout(120)
class RqWorkerTest {

  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final Path REDIS = Path.of("/usr/bin/redis-server");
  private static final Pattern QUEUED = Pattern.compile("queued frame (\\d+) as (\\S+)");
  private static final Pattern FRAME = Pattern.compile("(?:printed frame|frame) (\\d+)(?::| |$).*");

  @TempDir Path folder;

  @Test
  void eachJobsLinesAreItsTaskAndAFailedJobIsOneErrorWithItsTraceback() throws Exception {
    assumeTrue(Files.isExecutable(REDIS) && Files.isExecutable(PYTHON)
        && new ProcessBuilder(PYTHON.toString(), "-c", "import rq").start().waitFor() == 0,
        "RQ and Redis are needed (Debian's python3-rq and redis-server)");
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Process redis = new ProcessBuilder(REDIS.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no").redirectErrorStream(true).redirectOutput(folder.resolve("redis.log").toFile())
        .start();
    try {
      await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
          return true;
        }
      });
      runJobs(port);
    } finally {
      redis.destroy();
      redis.waitFor();
    }
  }

  /**
   * RQ prints a job's start on stdout and its failure on stderr: read from the two pipes, the
   * failure of job 13 may come after the start of job 2 (RqWorkerTest above failed so in CI). The
   * late end is job 13's alone; job 2 stays the current task. Before, it started job 13 again and
   * ended it, and job 2's lines were filed under no task. Here the lines come in that order on one
   * stream, so that the order is certain.
   */
  @Test
  void aJobsEndReadAfterTheNextJobStartedEndsOnlyItsOwnJob() throws IOException {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    String failed = "b99a275d-a3e6-4bc5-bad0-3f9f9e0590a6";
    String next = "6960f425-10b9-403a-8f57-a80ed30a0339";
    Path printed = Files.writeString(folder.resolve("printed.txt"), String.join("\n",
        "12:56:50 default: jobs.render(13) (" + failed + ")",
        "printed frame 13",
        "12:56:50 default: jobs.render(2) (" + next + ")",
        "12:56:50 [Job " + failed + "]: exception raised while executing (jobs.render)",
        "Traceback (most recent call last):",
        "  File \"/tmp/rq/jobs.py\", line 9, in render",
        "    raise RuntimeError(f\"CUDA out of memory on frame {frame}\")",
        "RuntimeError: CUDA out of memory on frame 13",
        "",
        "printed frame 2",
        "12:56:51 default: Job OK (" + next + ")",
        "12:56:51 Result is kept for 500 seconds", ""));

    Cli.Result result = WrappedWorkers.heartlogRun(folder, "rq-late-end", url, List.of(), "cat", printed.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    Map<String, String> taskOf = new HashMap<>();
    records(store, "rq-late-end").forEach(record -> taskOf.put(record.message(), String.valueOf(record.taskId())));
    assertThat(taskOf).containsEntry("printed frame 13", failed)
        .containsEntry("[Job " + failed + "]: exception raised while executing (jobs.render)", failed)
        .containsEntry("printed frame 2", next)
        .containsEntry("default: Job OK (" + next + ")", next)
        .containsEntry("12:56:51 Result is kept for 500 seconds", "null");
  }

  private void runJobs(int port) throws IOException, InterruptedException {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Files.writeString(folder.resolve("jobs.py"), """
        import logging, time
        engine = logging.getLogger("render.engine")

        def render(frame):
            engine.warning("frame %s: VRAM nearly full", frame)   # on stderr, Python's last resort
            print(f"printed frame {frame}", flush=True)
            time.sleep(0.2)
            if frame == 13:
                raise RuntimeError(f"CUDA out of memory on frame {frame}")
            return frame
        """);
    Path drive = Files.writeString(folder.resolve("drive.py"), """
        import os, subprocess, sys
        from redis import Redis
        from rq import Queue
        here = os.path.dirname(os.path.abspath(__file__))
        sys.path.insert(0, here)
        import jobs
        url = sys.argv[1]
        queue = Queue(connection=Redis.from_url(url))
        for frame in (1, 13, 2):
            print(f"queued frame {frame} as {queue.enqueue(jobs.render, frame).id}", flush=True)
        sys.exit(subprocess.call(["rq", "worker", "--url", url, "--burst"], cwd=here))
        """);

    Cli.Result result = Cli.run("run", "--worker", "rq-burst", "--db-url", url, "--home", folder.resolve("home").toString(),
        "--", PYTHON.toString(), drive.toString(), "redis://127.0.0.1:" + port);

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "rq-burst");
    Map<String, String> jobOfFrame = new HashMap<>();
    records.forEach(record -> {
      Matcher queued = QUEUED.matcher(record.message());
      if (queued.matches()) {
        jobOfFrame.put(queued.group(1), queued.group(2));
      }
    });
    assertThat(jobOfFrame).hasSize(3);
    List<StoredRecord> jobLines = records.stream().filter(r -> FRAME.matcher(r.message()).matches()).toList();
    assertThat(jobLines).as("each job's logger line and print").hasSize(6).allSatisfy(line -> {
      Matcher frame = FRAME.matcher(line.message());
      assertThat(frame.matches()).isTrue();
      assertThat(line.taskId()).as(line.message()).isEqualTo(jobOfFrame.get(frame.group(1)));
    });
    List<StoredRecord> errors = records.stream().filter(r -> r.level().equals("ERROR")).toList();
    assertThat(errors).singleElement().satisfies(error -> {
      assertThat(error.taskId()).isEqualTo(jobOfFrame.get("13"));
      assertThat(error.message()).isEqualTo("[Job " + jobOfFrame.get("13") + "]: exception raised while executing (jobs.render)");
      assertThat(error.exception()).startsWith("Traceback (most recent call last):")
          .endsWith("RuntimeError: CUDA out of memory on frame 13");
    });
    assertThat(records).filteredOn(r -> r.message().endsWith("Result is kept for 500 seconds"))
        .as("the worker's own lines after a job are no job's").allSatisfy(r -> assertThat(r.taskId()).isNull());
    assertThat(store.tasks(new TaskFilter("rq-burst", null, null, false, 10)))
        .extracting(RecentTask::id, RecentTask::failed)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(jobOfFrame.get("1"), false),
            org.assertj.core.groups.Tuple.tuple(jobOfFrame.get("13"), true),
            org.assertj.core.groups.Tuple.tuple(jobOfFrame.get("2"), false));
  }
}
