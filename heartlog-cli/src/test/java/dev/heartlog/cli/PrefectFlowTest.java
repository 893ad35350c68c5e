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
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Prefect flow's lines under heartlog run. Prefect cannot be installed here (PyPI cannot be
 * reached), so a Python program logs in Prefect's logging configuration (its {@code logging.yml}:
 * the {@code standard}, {@code flow_runs} and {@code task_runs} formats, the run's name given as
 * Prefect gives it, {@code %(flow_run_name)r}) the lines Prefect's engine logs around a flow run
 * and its task runs, and the runs' own.
 */
@Timeout(120)
class PrefectFlowTest {

  private static final Path PYTHON = Path.of("/usr/bin/python3");

  private static final String FLOW = """
      import logging, logging.config, time

      fmt = "%(asctime)s.%(msecs)03d | %(levelname)-7s | "
      logging.config.dictConfig({
          "version": 1, "disable_existing_loggers": False,
          "formatters": {
              "standard": {"format": fmt + "%(name)s - %(message)s", "datefmt": "%H:%M:%S"},
              "flow_runs": {"format": fmt + "Flow run %(flow_run_name)r - %(message)s", "datefmt": "%H:%M:%S"},
              "task_runs": {"format": fmt + "Task run %(task_run_name)r - %(message)s", "datefmt": "%H:%M:%S"}},
          "handlers": {name: {"class": "logging.StreamHandler", "formatter": name}
                       for name in ("standard", "flow_runs", "task_runs")},
          "loggers": {"prefect": {"handlers": ["standard"], "level": "INFO", "propagate": False},
                      "prefect.flow_runs": {"handlers": ["flow_runs"], "level": "INFO", "propagate": False},
                      "prefect.task_runs": {"handlers": ["task_runs"], "level": "INFO", "propagate": False}}})
      engine = logging.getLogger("prefect.engine")
      flows = logging.getLogger("prefect.flow_runs")
      tasks = logging.getLogger("prefect.task_runs")

      def flow_run(name, frames, fail):
          engine.info("Created flow run '%s' for flow 'render'", name)
          run = {"flow_run_name": name}
          flows.info("Beginning flow run '%s' for flow 'render'", name, extra=run)
          for frame in range(frames):
              task = {"task_run_name": f"render_frame-{frame}"}
              tasks.info("Rendering frame %d", frame, extra=task)
              time.sleep(0.1)   # a frame takes a while: the print on stdout comes well after the lines on stderr
              print(f"printed frame {frame}", flush=True)
              time.sleep(0.1)   # stdout is read apart from stderr: a line there right after it could come first
              if fail and frame == frames - 1:
                  try:
                      raise RuntimeError("CUDA out of memory")
                  except RuntimeError as e:
                      tasks.error("Task run failed with exception: %r - Retries are exhausted", e, exc_info=True, extra=task)
                      tasks.error("Finished in state Failed('Task run encountered an exception RuntimeError: %s')", e, extra=task)
                      flows.error("Finished in state Failed('Flow run encountered an exception. RuntimeError: %s')", e, extra=run)
                      return
              tasks.info("Finished in state Completed()", extra=task)
          flows.info("Finished in state Completed()", extra=run)

      flow_run("crimson-fox", 2, False)
      time.sleep(0.2)
      flow_run("it's-a-fox", 2, True)
      time.sleep(0.2)
      print("worker idle", flush=True)
      """;

  @TempDir Path folder;

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  @Test
  void aFlowRunsLineIsItsTaskAndItsFinishEndsIt() {
    ChildLineParser.Parsed begun = parser.parse("12:03:45.123 | INFO    | Flow run 'crimson-fox' - Beginning flow run "
        + "'crimson-fox' for flow 'render'", Level.WARNING, "stderr");
    ChildLineParser.Parsed failed = parser.parse("12:03:49.002 | ERROR   | Flow run \"it's-a-fox\" - Finished in state "
        + "Failed('Flow run encountered an exception. RuntimeError: CUDA out of memory')", Level.INFO, "stdout");
    ChildLineParser.Parsed task = parser.parse("12:03:46.456 | WARNING | Task run 'render_frame-0' - VRAM at 95%",
        Level.INFO, "stdout");
    ChildLineParser.Parsed engine = parser.parse("12:03:44.001 | INFO    | prefect.engine - Created flow run "
        + "'crimson-fox' for flow 'render'", Level.WARNING, "stderr");

    assertThat(begun.task()).isEqualTo("crimson-fox");
    assertThat(begun.level()).isEqualTo(Level.INFO);
    assertThat(begun.message()).isEqualTo("Beginning flow run 'crimson-fox' for flow 'render'");
    assertThat(begun.endsTask()).isFalse();
    assertThat(begun.scope()).isEqualTo(ChildLineParser.TaskScope.CONCURRENT);
    assertThat(begun.metadata()).containsEntry("flow_run", "crimson-fox");
    assertThat(failed.task()).as("a name holding a quote, as repr() writes it").isEqualTo("it's-a-fox");
    assertThat(failed.endsTask()).isTrue();
    assertThat(failed.level()).isEqualTo(Level.ERROR);
    assertThat(task.task()).as("its flow run's, the current one").isNull();
    assertThat(task.level()).isEqualTo(Level.WARNING);
    assertThat(task.message()).isEqualTo("VRAM at 95%");
    assertThat(task.metadata()).containsEntry("task_run", "render_frame-0");
    assertThat(engine.level()).isEqualTo(Level.INFO);
    assertThat(engine.metadata()).containsEntry("logger", "prefect.engine");
    assertThat(engine.message()).isEqualTo("Created flow run 'crimson-fox' for flow 'render'");
    assertThat(parser.parse("12:03:44.001 | NOTICE  | x - y", Level.INFO, "stdout").message())
        .as("no level of Python's: not Prefect's").isEqualTo("12:03:44.001 | NOTICE  | x - y");
  }

  @Test
  void aFlowRunsLinesAndItsTaskRunsAreItsTaskAndAFailedRunIsFailed() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON), "Python is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path flow = Files.writeString(folder.resolve("flow.py"), FLOW);

    Cli.Result result = WrappedWorkers.heartlogRun(folder, "prefect", url, List.of(), PYTHON.toString(), flow.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "prefect");
    Map<String, List<String>> tasksOf = records.stream().filter(r -> r.message().contains("frame"))
        .collect(Collectors.groupingBy(StoredRecord::message, Collectors.mapping(r -> String.valueOf(r.taskId()),
            Collectors.toList())));
    assertThat(tasksOf).as("each run's task runs' lines and prints").containsOnly(
        Map.entry("Rendering frame 0", List.of("crimson-fox", "it's-a-fox")),
        Map.entry("Rendering frame 1", List.of("crimson-fox", "it's-a-fox")),
        Map.entry("printed frame 0", List.of("crimson-fox", "it's-a-fox")),
        Map.entry("printed frame 1", List.of("crimson-fox", "it's-a-fox")));
    assertThat(records).filteredOn(r -> r.message().startsWith("Task run failed with exception")).singleElement()
        .satisfies(error -> {
          assertThat(error.taskId()).isEqualTo("it's-a-fox");
          assertThat(error.exception()).endsWith("RuntimeError: CUDA out of memory");
        });
    assertThat(records).filteredOn(r -> r.message().equals("worker idle")).singleElement()
        .satisfies(idle -> assertThat(idle.taskId()).as("after the last run finished").isNull());
    assertThat(store.tasks(new TaskFilter("prefect", null, null, false, 10)))
        .extracting(RecentTask::id, RecentTask::failed)
        .containsExactlyInAnyOrder(tuple("crimson-fox", false), tuple("it's-a-fox", true));
  }
}
