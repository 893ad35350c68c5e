package dev.heartlog.cli;

import static dev.heartlog.cli.WrappedWorkers.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.heartlog.store.RecentTask;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TaskFilter;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Celery worker (Debian's python3-celery) wrapped by heartlog run, its pool of two
 * processes running two tasks at once, on a broker of files in the test's folder.
 */
@Timeout(120)
class CeleryWorkerTest {

  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final Pattern QUEUED = Pattern.compile("queued frame (\\d+) as (\\S+)");
  private static final Pattern FRAME_STEP = Pattern.compile("frame (\\d+) step \\d");

  @TempDir Path folder;

  @Test
  void eachLineIsFiledUnderTheTaskItsPoolProcessRunsAndAFailureIsOneErrorOfItsTask() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON)
        && new ProcessBuilder(PYTHON.toString(), "-c", "import celery").start().waitFor() == 0,
        "Celery is needed (Debian's python3-celery)");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Files.writeString(folder.resolve("render.py"), """
        import logging, pathlib, time
        from celery import Celery
        from celery.utils.log import get_task_logger

        here = pathlib.Path(__file__).parent
        app = Celery("render", broker="filesystem://")
        queue = str(here / "queue")
        app.conf.broker_transport_options = {"data_folder_in": queue, "data_folder_out": queue}
        app.conf.worker_prefetch_multiplier = 1
        log = get_task_logger(__name__)
        engine = logging.getLogger("render.engine")

        @app.task
        def render(frame):
            log.info("rendering frame %s", frame)
            try:
                for step in range(3):
                    time.sleep(0.3)
                    engine.warning("frame %s step %s", frame, step)   # another logger
                    print(f"printed frame {frame} step {step}")        # Celery logs it as WARNING
                if frame == 13:
                    raise RuntimeError(f"CUDA out of memory on frame {frame}")
                return frame
            finally:
                (here / f"done-{frame}").touch()
        """);
    // Queues four tasks, runs the worker until they are done, then stops it as a deployment does.
    Path drive = Files.writeString(folder.resolve("drive.py"), """
        import os, pathlib, subprocess, sys, time
        here = pathlib.Path(__file__).parent
        (here / "queue").mkdir()
        sys.path.insert(0, str(here))
        from render import render
        for frame in (1, 2, 13, 4):
            print(f"queued frame {frame} as {render.delay(frame).id}", flush=True)
        worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "render", "worker", "-c", "2", "-l", "INFO",
                                   "--without-heartbeat", "--without-mingle", "--without-gossip"], cwd=here)
        deadline = time.monotonic() + 60
        while len(list(here.glob("done-*"))) < 4 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)   # the last task's "succeeded" line
        worker.terminate()
        sys.exit(worker.wait())
        """);

    Cli.Result result = Cli.run("run", "--worker", "celery-pool", "--db-url", url,
        "--home", folder.resolve("home").toString(), "--", PYTHON.toString(), drive.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "celery-pool");
    Map<String, String> taskOfFrame = new HashMap<>();
    records.forEach(record -> {
      Matcher queued = QUEUED.matcher(record.message());
      if (queued.matches()) {
        taskOfFrame.put(queued.group(1), queued.group(2));
      }
    });
    List<StoredRecord> steps = records.stream().filter(r -> FRAME_STEP.matcher(r.message()).find()).toList();
    assertThat(taskOfFrame).hasSize(4);
    assertThat(steps).as("3 log lines and 3 prints of each of the 4 tasks").hasSize(24);
    assertThat(switchesBetweenTasks(steps)).as("the two processes' lines interleaved").isGreaterThan(2);
    assertThat(steps).allSatisfy(step -> {
      Matcher frame = FRAME_STEP.matcher(step.message());
      assertThat(frame.find()).isTrue();
      assertThat(step.taskId()).as(step.message()).isEqualTo(taskOfFrame.get(frame.group(1)));
      assertThat(step.level()).isEqualTo("WARNING");
      assertThat(step.metadataJson()).contains("\"process\": \"ForkPoolWorker-");
    });
    assertThat(records).filteredOn(r -> r.message().startsWith("rendering frame"))
        .extracting(StoredRecord::message, StoredRecord::taskId)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("rendering frame 1", taskOfFrame.get("1")),
            org.assertj.core.groups.Tuple.tuple("rendering frame 2", taskOfFrame.get("2")),
            org.assertj.core.groups.Tuple.tuple("rendering frame 13", taskOfFrame.get("13")),
            org.assertj.core.groups.Tuple.tuple("rendering frame 4", taskOfFrame.get("4")));
    List<StoredRecord> errors = records.stream().filter(r -> r.level().equals("ERROR")).toList();
    assertThat(errors).as("one error: the quoted copy of the traceback Celery's pool prints joins it").singleElement()
        .satisfies(error -> {
          assertThat(error.taskId()).isEqualTo(taskOfFrame.get("13"));
          assertThat(error.message()).as("the exception billiard's copy names, not ExceptionWithTraceback()")
              .isEqualTo("Task render.render[" + taskOfFrame.get("13")
                  + "] raised unexpected: RuntimeError: CUDA out of memory on frame 13");
          assertThat(error.exception()).contains("RuntimeError: CUDA out of memory on frame 13");
        });
    assertThat(store.tasks(new TaskFilter("celery-pool", null, null, true, 10)))
        .as("named by the task's exception, which billiard's quoted copy ends in")
        .extracting(RecentTask::id, RecentTask::failureException)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(
            taskOfFrame.get("13"), "RuntimeError: CUDA out of memory on frame 13"));
  }

  private static long switchesBetweenTasks(List<StoredRecord> steps) {
    long switches = 0;
    for (int i = 1; i < steps.size(); i++) {
      if (!java.util.Objects.equals(steps.get(i).taskId(), steps.get(i - 1).taskId())) {
        switches++;
      }
    }
    return switches;
  }
}
