package dev.heartlog.cli;

import static dev.heartlog.cli.WrappedWorkers.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.heartlog.store.RecentTask;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TaskFilter;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An arq worker's jobs under heartlog run. arq cannot be installed here (Debian does not package
 * it, PyPI cannot be reached), so a Python program logs what arq's worker logs around a job, with
 * arq's logger, format strings and {@code logger.exception} (arq 0.26's {@code worker.py}), in
 * arq's own logging configuration or in one of the worker's, and runs the jobs between: their
 * own loggers, prints and a real traceback.
 */
@Timeout(120)
class ArqWorkerTest {

  private static final Path PYTHON = Path.of("/usr/bin/python3");

  private static final String WORKER = """
      import logging, logging.config, sys, time

      if sys.argv[1] == "arq":   # arq's default_log_config
          logging.config.dictConfig({
              "version": 1, "disable_existing_loggers": False,
              "handlers": {"arq.standard": {"level": "INFO", "class": "logging.StreamHandler", "formatter": "arq.standard"}},
              "formatters": {"arq.standard": {"format": "%(asctime)s: %(message)s", "datefmt": "%H:%M:%S"}},
              "loggers": {"arq": {"handlers": ["arq.standard"], "level": "INFO"}},
          })
      else:   # a worker that configures logging itself
          logging.basicConfig(level=logging.INFO, format="%(asctime)s - %(name)s - %(levelname)s - %(message)s")
      logger = logging.getLogger("arq.worker")
      engine = logging.getLogger("render.engine")

      def render(frame):   # a job takes a while: its lines on stdout come well after its start and before its end
          time.sleep(0.1)
          engine.warning("frame %s: VRAM nearly full", frame)
          print(f"printed frame {frame}", flush=True)
          time.sleep(0.1)
          if frame == 13:
              raise RuntimeError(f"CUDA out of memory on frame {frame}")
          return frame

      logger.info("Starting worker for 1 functions: render")
      for job_id, frame in (("job-1", 1), ("job-13", 13), ("job-2", 2)):
          ref = f"{job_id}:render"
          logger.info("%6.2fs → %s(%s)%s", 0.01, ref, frame, "")
          try:
              result = render(frame)
          except Exception as e:
              logger.exception("%6.2fs ! %s failed, %s: %s", 0.02, ref, e.__class__.__name__, e)
          else:
              logger.info("%6.2fs ← %s ● %s", 0.02, ref, result)
          time.sleep(0.3)
      logger.info("shutdown on SIGINT ◆ 2 jobs complete ◆ 1 failed ◆ 0 retries ◆ 0 ongoing to cancel")
      """;

  @TempDir Path folder;

  @ParameterizedTest
  @ValueSource(strings = {"arq", "own"})
  void eachJobsLinesAreItsTaskAndAFailedJobIsOneErrorWithItsTraceback(String logging) throws Exception {
    assumeTrue(Files.isExecutable(PYTHON), "Python is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path worker = Files.writeString(folder.resolve("worker.py"), WORKER);
    String name = "arq-" + logging;

    Cli.Result result = WrappedWorkers.heartlogRun(folder, name, url, List.of(), PYTHON.toString(), worker.toString(),
        logging);

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, name);
    Map<String, String> taskOf = records.stream().filter(r -> r.message().startsWith("frame") || r.message().startsWith("printed"))
        .collect(Collectors.toMap(StoredRecord::message, r -> String.valueOf(r.taskId())));
    assertThat(taskOf).as("each job's logger line and print").containsOnly(
        Map.entry("frame 1: VRAM nearly full", "job-1"), Map.entry("printed frame 1", "job-1"),
        Map.entry("frame 13: VRAM nearly full", "job-13"), Map.entry("printed frame 13", "job-13"),
        Map.entry("frame 2: VRAM nearly full", "job-2"), Map.entry("printed frame 2", "job-2"));
    assertThat(records).filteredOn(r -> r.level().equals("ERROR")).singleElement().satisfies(error -> {
      assertThat(error.taskId()).isEqualTo("job-13");
      assertThat(error.message()).isEqualTo("0.02s ! job-13:render failed, RuntimeError: CUDA out of memory on frame 13");
      assertThat(error.exception()).startsWith("Traceback (most recent call last):")
          .endsWith("RuntimeError: CUDA out of memory on frame 13");
    });
    assertThat(records).filteredOn(r -> r.message().startsWith("Starting worker") || r.message().startsWith("shutdown on"))
        .as("the worker's own lines, no job's, at INFO").hasSize(2)
        .allSatisfy(r -> assertThat(r.taskId()).isNull()).allSatisfy(r -> assertThat(r.level()).isEqualTo("INFO"));
    assertThat(store.tasks(new TaskFilter(name, null, null, false, 10)))
        .extracting(RecentTask::id, RecentTask::failed)
        .containsExactlyInAnyOrder(tuple("job-1", false), tuple("job-13", true), tuple("job-2", false));
  }

  @Test
  void aLineWhileTwoJobsRunIsTheOneStartedLastsAndAnEarlierJobsEndIsItsOwn() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path printed = Files.writeString(folder.resolve("printed.txt"), String.join("\n",
        "01:30:01:   0.01s → job-a:render(1)",
        "printed frame 1",
        "01:30:01:   0.01s → job-b:render(2)",
        "printed frame 2",
        "01:30:02:   0.90s ← job-a:render ● 1",
        "printed after a",
        "01:30:02:   0.95s ← job-b:render ● 2",
        "printed after b", ""));

    Cli.Result result = WrappedWorkers.heartlogRun(folder, "arq-two", url, List.of(), "cat", printed.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    Map<String, String> taskOf = records(store, "arq-two").stream()
        .collect(Collectors.toMap(StoredRecord::message, r -> String.valueOf(r.taskId()), (a, b) -> a));
    assertThat(taskOf).containsEntry("printed frame 1", "job-a").containsEntry("printed frame 2", "job-b")
        .containsEntry("0.90s ← job-a:render ● 1", "job-a").containsEntry("printed after a", "job-b")
        .containsEntry("0.95s ← job-b:render ● 2", "job-b").containsEntry("printed after b", "null");
  }

  /** A job begun before another and still running when that one ends is current again. */
  @Test
  void whenTheJobStartedLastEndsTheLinesAreTheJobStillRunnings() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path printed = Files.writeString(folder.resolve("printed.txt"), String.join("\n",
        "01:30:01:   0.01s → job-a:render(1)",
        "01:30:01:   0.01s → job-b:render(2)",
        "01:30:01:   0.01s → job-c:render(3)",
        "01:30:02:   0.40s ← job-c:render ● 3",
        "printed after c",
        "01:30:02:   0.90s ↻ job-b:render retrying job in 5.00s",
        "printed after b",
        "01:30:03:   1.20s ← job-a:render ● 1",
        "printed after a", ""));

    Cli.Result result = WrappedWorkers.heartlogRun(folder, "arq-back", url, List.of(), "cat", printed.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    Map<String, String> taskOf = records(store, "arq-back").stream()
        .collect(Collectors.toMap(StoredRecord::message, r -> String.valueOf(r.taskId()), (a, b) -> a));
    assertThat(taskOf).containsEntry("printed after c", "job-b").containsEntry("printed after b", "job-a")
        .containsEntry("printed after a", "null");
    assertThat(store.tasks(new TaskFilter("arq-back", null, null, false, 10)))
        .extracting(RecentTask::id, RecentTask::failed)
        .containsExactlyInAnyOrder(tuple("job-a", false), tuple("job-b", false), tuple("job-c", false));
  }
}
