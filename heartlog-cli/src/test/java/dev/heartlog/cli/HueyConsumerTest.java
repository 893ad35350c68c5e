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

/**
 * A Huey consumer's tasks under heartlog run. Huey cannot be installed here (Debian does not
 * package it, PyPI cannot be reached), so a Python program does what a consumer of two worker
 * threads does: logging set up in Huey's format on the root logger, Huey 2's lines about each
 * task from the {@code huey} logger (its {@code api.py}'s words and task text), and the tasks run
 * on the two threads at once, their own loggers' lines between, one raising.
 */
@Timeout(120)
class HueyConsumerTest {

  private static final Path PYTHON = Path.of("/usr/bin/python3");

  private static final String CONSUMER = """
      import logging, threading, time, uuid

      handler = logging.StreamHandler()
      handler.setFormatter(logging.Formatter("[%(asctime)s] %(levelname)s:%(name)s:%(threadName)s:%(message)s"))
      logging.getLogger().addHandler(handler)
      logging.getLogger().setLevel(logging.INFO)
      huey = logging.getLogger("huey")
      tasks = logging.getLogger("tasks")

      def render(frame):
          tasks.info("rendering frame %s", frame)
          time.sleep(0.4)
          tasks.warning("frame %s: VRAM nearly full", frame)
          if frame == 13:
              raise RuntimeError(f"CUDA out of memory on frame {frame}")

      def worker(frames, pause):
          time.sleep(pause)
          for frame, task_id in frames:
              task = f"tasks.render: {task_id}"
              huey.info("Executing %s", task)
              start = time.time()
              try:
                  render(frame)
              except Exception:
                  huey.exception("Unhandled exception in task %s.", task_id)
              else:
                  huey.info("%s executed in %0.3fs", task, time.time() - start)

      logging.getLogger("huey.consumer").info("Huey consumer started with 2 threads, PID 4242")
      ids = {frame: f"{frame:08d}-{uuid.uuid4()}"[:36] for frame in (1, 2, 13, 4)}
      threads = [threading.Thread(target=worker, name="Worker-1", args=([(1, ids[1]), (13, ids[13])], 0)),
                 threading.Thread(target=worker, name="Worker-2", args=([(2, ids[2]), (4, ids[4])], 0.2))]
      for thread in threads:
          thread.start()
      for thread in threads:
          thread.join()
      """;

  @TempDir Path folder;

  @Test
  void eachWorkersLinesAreItsTaskAndAFailedTaskIsOneErrorWithItsTraceback() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON), "Python is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path consumer = Files.writeString(folder.resolve("consumer.py"), CONSUMER);

    Cli.Result result = WrappedWorkers.heartlogRun(folder, "huey-two", url, List.of(), PYTHON.toString(), consumer.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "huey-two");
    Map<String, String> taskOfFrame = records.stream().filter(r -> r.message().startsWith("Executing "))
        .collect(Collectors.toMap(r -> r.message().substring(r.message().length() - 36, r.message().length() - 28),
            r -> String.valueOf(r.taskId())));
    assertThat(taskOfFrame).hasSize(4).allSatisfy((frame, task) -> assertThat(task).startsWith(frame));
    List<StoredRecord> ownLines = records.stream().filter(r -> r.message().contains("frame ")).toList();
    assertThat(ownLines).as("each task's own lines, two a task, its two threads' lines interleaved").hasSize(8)
        .allSatisfy(line -> {
          String frame = line.message().replaceAll("\\D*(\\d+).*", "$1");
          assertThat(line.taskId()).as(line.message()).startsWith(String.format("%08d", Integer.parseInt(frame)));
        });
    assertThat(records).filteredOn(r -> r.level().equals("ERROR")).singleElement().satisfies(error -> {
      assertThat(error.taskId()).startsWith("00000013");
      assertThat(error.message()).isEqualTo("Unhandled exception in task " + error.taskId() + ".");
      assertThat(error.exception()).startsWith("Traceback (most recent call last):")
          .endsWith("RuntimeError: CUDA out of memory on frame 13");
    });
    assertThat(records).filteredOn(r -> r.message().startsWith("Huey consumer started")).singleElement()
        .satisfies(r -> assertThat(r.taskId()).isNull());
    assertThat(store.tasks(new TaskFilter("huey-two", null, null, false, 10)))
        .extracting(task -> task.id().substring(0, 8), RecentTask::failed)
        .containsExactlyInAnyOrder(tuple("00000001", false), tuple("00000002", false), tuple("00000013", true),
            tuple("00000004", false));
  }
}
