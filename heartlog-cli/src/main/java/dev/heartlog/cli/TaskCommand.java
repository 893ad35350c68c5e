package dev.heartlog.cli;

import dev.heartlog.store.HeartbeatPoint;
import dev.heartlog.store.StoreJson;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TaskSummary;
import dev.heartlog.store.TaskTimeline;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "task",
    description = "Prints a task's whole timeline: the worker that ran it, its records in order, VRAM during it, and the error if it failed.",
    mixinStandardHelpOptions = true)
final class TaskCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin StoreOptions storeOptions;

  @Parameters(paramLabel = "TASK_ID", description = "The task's id.")
  String taskId;

  @Option(names = "--json", description = "The timeline as one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    TaskTimeline task;
    try (StoreOptions.Opened opened = storeOptions.open()) {
      task = opened.store().task(taskId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (task.isEmpty()) {
      spec.commandLine().getErr().println(
          "heartlog: no records or heartbeats for task " + taskId + " (check the id; records are kept 48 hours)");
      return 1;
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(StoreJson.task(task));
      return 0;
    }
    printSummary(out, task);
    out.println();
    out.println("Timeline:");
    for (StoredRecord record : task.records()) {
      out.println("  " + RecordText.timelineLine(record));
    }
    task.failure().ifPresent(failure -> {
      out.println();
      out.println("Failure:");
      out.println("  " + RecordText.line(failure));
      if (failure.exception() != null) {
        failure.exception().lines().forEach(line -> out.println("    " + line));
      }
    });
    return 0;
  }

  private static void printSummary(PrintWriter out, TaskTimeline task) {
    out.println("Task " + task.taskId() + "  " + (task.failure().isPresent() ? "FAILED" : "ok"));
    if (!task.records().isEmpty()) {
      StoredRecord first = task.records().get(0);
      StoredRecord last = task.records().get(task.records().size() - 1);
      out.println("  from      " + RecordText.timestamp(first.timestamp()) + " to " + RecordText.timestamp(last.timestamp())
          + " (" + RecordText.span(Duration.between(first.timestamp(), last.timestamp())) + ")");
    }
    for (TaskSummary worker : task.workers()) {
      out.println("  worker    " + worker.id() + ": " + worker.records() + " records, errors: " + worker.errors());
    }
    if (!task.heartbeats().isEmpty()) {
      out.println("  VRAM      " + vram(task.heartbeats()));
    }
  }

  /** The task's GPU memory as its heartbeats reported it: the peak used, of the total. */
  static String vram(List<HeartbeatPoint> heartbeats) {
    int peak = heartbeats.stream().map(HeartbeatPoint::vramUsedMb).filter(v -> v != null).mapToInt(v -> v).max().orElse(-1);
    Integer total = heartbeats.get(heartbeats.size() - 1).vramTotalMb();
    String over = heartbeats.size() == 1 ? "1 heartbeat" : heartbeats.size() + " heartbeats";
    if (peak < 0 && total == null) {
      return "not reported in " + over + " (no GPU, or nvidia-smi could not read it)";
    }
    return (peak < 0 ? "unknown" : "peak " + peak + " MiB") + " of " + (total == null ? "?" : total) + " MiB over " + over;
  }
}
