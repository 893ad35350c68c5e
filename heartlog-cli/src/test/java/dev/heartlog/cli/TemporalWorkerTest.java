package dev.heartlog.cli;

import static dev.heartlog.cli.WrappedWorkers.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.heartlog.agent.Level;
import dev.heartlog.store.RecentTask;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TaskFilter;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Temporal worker's activity and workflow loggers under heartlog run. Temporal's Python SDK
 * cannot be installed here (PyPI cannot be reached), so a Python program logs through a {@code
 * logging.LoggerAdapter} that appends what the SDK's {@code activity.LoggerAdapter} and {@code
 * workflow} logger append to each message: the details of the running activity or workflow, a
 * Python dict, its keys those of the SDK's {@code Info._logger_details()}.
 */
@Timeout(120)
class TemporalWorkerTest {

  private static final Path PYTHON = Path.of("/usr/bin/python3");

  private static final String WORKER = """
      import logging, threading, time

      logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")

      class Details(logging.LoggerAdapter):   # what temporalio's adapters append
          def process(self, msg, kwargs):
              return f"{msg} ({self.extra})", kwargs

      def activity(workflow, attempt):
          return Details(logging.getLogger("temporalio.activity"), {
              "activity_id": "1", "activity_type": "render", "attempt": attempt, "namespace": "default",
              "task_queue": "gpu", "workflow_id": workflow, "workflow_run_id": "0192f0c1-7d2e-7c4a-9b1e-3f5a6b7c8d9e",
              "workflow_type": "RenderVideo"})

      def render(workflow, frames, fail):   # two activities at once, on threads, as a Temporal worker runs them
          log = activity(workflow, 1)
          for frame in range(frames):
              log.info("Rendering frame %d", frame)
              time.sleep(0.02)
          if fail:
              try:
                  raise RuntimeError("CUDA out of memory")
              except RuntimeError:
                  log.warning("Completing activity as failed", exc_info=True)
                  log.error("Render of %s failed", workflow)

      Details(logging.getLogger("temporalio.workflow"), {"attempt": 1, "namespace": "default",
          "run_id": "0192f0c1-7d2e-7c4a-9b1e-3f5a6b7c8d9e", "task_queue": "gpu", "workflow_id": "render-42",
          "workflow_type": "RenderVideo"}).info("Starting render")
      threads = [threading.Thread(target=render, args=("render-42", 3, False)),
                 threading.Thread(target=render, args=("render-43", 3, True))]
      for t in threads: t.start()
      for t in threads: t.join()
      logging.getLogger("worker").info("Worker idle")
      """;

  @TempDir Path folder;

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  @Test
  void anActivitysLineIsItsWorkflowsTaskItsDetailsItsMetadataAndTheMessageTheWorkersOwn() {
    ChildLineParser.Parsed line = parser.parse("INFO:temporalio.activity:Rendering frame 7 ({'activity_id': '1', "
        + "'activity_type': 'render', 'attempt': 2, 'namespace': 'default', 'task_queue': 'gpu', 'workflow_id': "
        + "'render-42', 'workflow_run_id': '0192f0c1', 'workflow_type': 'RenderVideo'})", Level.WARNING, "stderr");

    assertThat(line.message()).isEqualTo("Rendering frame 7");
    assertThat(line.task()).isEqualTo("render-42");
    assertThat(line.scope()).as("many activities run at once: the line's alone").isEqualTo(ChildLineParser.TaskScope.LINE);
    assertThat(line.level()).isEqualTo(Level.INFO);
    assertThat(line.metadata()).containsEntry("logger", "temporalio.activity").containsEntry("attempt", 2L)
        .containsEntry("activity_type", "render").containsEntry("workflow_run_id", "0192f0c1")
        .containsEntry("workflow_id", "render-42");
  }

  /** Where the worker configured no logging, Python's last resort prints the message alone, on stderr. */
  @Test
  void aMessageAloneLosesItsDetailsToo() {
    ChildLineParser.Parsed line = parser.parse("Completing activity as failed ({'activity_id': '1', 'activity_type': "
        + "'render', 'attempt': 1, 'namespace': 'default', 'task_queue': 'gpu', 'workflow_id': 'render-42', "
        + "'workflow_run_id': '019e7fea-9aa9-7956-8a3f-42cf30ea473f', 'workflow_type': 'RenderVideo'})", Level.WARNING, "stderr");

    assertThat(line.message()).isEqualTo("Completing activity as failed");
    assertThat(line.task()).isEqualTo("render-42");
    assertThat(line.level()).isEqualTo(Level.WARNING);
  }

  @Test
  void detailsThatAreNoneQuotedOtherwiseOrNotADictAreReadAsPythonWroteThem() {
    ChildLineParser.Parsed standalone = parser.parse("INFO:temporalio.activity:warming up ({'activity_id': 'warm-1', "
        + "'attempt': 1, 'workflow_id': None, 'is_local': False})", Level.WARNING, "stderr");
    assertThat(standalone.task()).as("no workflow: the activity").isEqualTo("warm-1");
    assertThat(standalone.metadata()).containsEntry("is_local", false).doesNotContainKey("workflow_id");

    ChildLineParser.Parsed quoted = parser.parse("INFO:temporalio.workflow:started ({'workflow_id': \"it's-42\", "
        + "'namespace': 'a\\'b\"c'})", Level.WARNING, "stderr");
    assertThat(quoted.task()).isEqualTo("it's-42");
    assertThat(quoted.metadata()).containsEntry("namespace", "a'b\"c");

    String notDetails = "INFO:worker:sent ({'workflow_id': 'render-42', 'frames': [1, 2]})";
    assertThat(parser.parse(notDetails, Level.WARNING, "stderr").message())
        .as("a value Temporal does not write: the message as it is").isEqualTo("sent ({'workflow_id': 'render-42', 'frames': [1, 2]})");
    assertThat(parser.parse("INFO:worker:sent ({'workflow_id': 'render-42' and more, 'attempt': 1})", Level.WARNING,
        "stderr").task()).as("not a dict's pairs").isNull();
    assertThat(parser.parse("INFO:worker:sent ({'job': 'x'})", Level.WARNING, "stderr").task()).isNull();
    assertThat(parser.parse("{\"level\": \"info\", \"task_id\": \"t-own\", \"message\": \"sent ({'workflow_id': "
        + "'render-42'})\"}", Level.WARNING, "stderr").task()).as("a task the line names itself").isEqualTo("t-own");
  }

  @Test
  void aTemporalWorkersActivitiesAreTasksOfTheirWorkflowsAndAFailedOneFailsIt() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON), "Python is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path worker = Files.writeString(folder.resolve("worker.py"), WORKER);

    Cli.Result result = WrappedWorkers.heartlogRun(folder, "temporal", url, List.of(), PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "temporal");
    assertThat(records).filteredOn(r -> r.message().startsWith("Rendering frame")).hasSize(6)
        .extracting(StoredRecord::taskId).containsOnly("render-42", "render-43");
    assertThat(records).filteredOn(r -> r.message().equals("Rendering frame 2")).extracting(StoredRecord::taskId)
        .containsExactlyInAnyOrder("render-42", "render-43");
    assertThat(records).filteredOn(r -> r.message().equals("Completing activity as failed")).singleElement()
        .satisfies(failed -> {
          assertThat(failed.taskId()).isEqualTo("render-43");
          assertThat(failed.level()).isEqualTo("WARNING");
          assertThat(failed.exception()).endsWith("RuntimeError: CUDA out of memory");
        });
    assertThat(records).filteredOn(r -> r.message().equals("Worker idle")).singleElement()
        .satisfies(idle -> assertThat(idle.taskId()).as("a line after no activity's").isNull());
    assertThat(store.tasks(new TaskFilter("temporal", null, null, false, 10)))
        .extracting(RecentTask::id, RecentTask::failed)
        .containsExactlyInAnyOrder(tuple("render-42", false), tuple("render-43", true));
  }
}
