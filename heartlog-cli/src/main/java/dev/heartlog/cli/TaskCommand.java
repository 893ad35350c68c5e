package dev.heartlog.cli;

import dev.heartlog.store.HeartbeatPoint;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoreJson;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TaskSummary;
import dev.heartlog.store.TaskTimeline;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "task",
    description = "Prints a task's whole timeline: the worker that ran it, its records in order (all of them, however many), VRAM during it, and the error if it failed.",
    mixinStandardHelpOptions = true)
final class TaskCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin StoreOptions storeOptions;

  @Parameters(paramLabel = "TASK_ID", description = "The task's id.")
  String taskId;

  @Option(names = "--json", description = "The timeline as one JSON object: every record up to 100,000, past that the newest, with the rest counted (records_left_out).")
  boolean json;

  /** Records read at a time: a timeline of any length is printed page by page. */
  static final int PAGE = 10_000;

  @Override
  public Integer call() {
    try (StoreOptions.Opened opened = storeOptions.open()) {
      return print(opened.store());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int print(Store store) {
    TaskTimeline task = json ? store.task(taskId) : store.task(taskId, PAGE, PAGE);
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
    List<StoredRecord> beforeGap = task.records().subList(0, task.leftOutAt());
    List<StoredRecord> afterGap = task.records().subList(task.leftOutAt(), task.records().size());
    beforeGap.forEach(record -> printRecord(out, record));
    if (task.leftOut() > 0 && !beforeGap.isEmpty()) {
      printBetween(out, store, beforeGap.get(beforeGap.size() - 1),
          afterGap.stream().map(StoredRecord::id).collect(Collectors.toSet()));
    }
    afterGap.forEach(record -> printRecord(out, record));
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

  /** The records between the timeline's two ends, read a page at a time, up to one of {@code ending}. */
  private void printBetween(PrintWriter out, Store store, StoredRecord from, Set<Long> ending) {
    long after = from.id();
    List<StoredRecord> page;
    do {
      page = store.taskRecordsAfter(taskId, after, PAGE);
      for (StoredRecord record : page) {
        if (ending.contains(record.id())) {
          return;
        }
        printRecord(out, record);
        after = record.id();
      }
    } while (page.size() == PAGE);
  }

  private static void printRecord(PrintWriter out, StoredRecord record) {
    out.println("  " + RecordText.timelineLine(record));
  }

  private static void printSummary(PrintWriter out, TaskTimeline task) {
    out.println("Task " + task.taskId() + "  " + (task.failure().isPresent() ? "FAILED" : "ok"));
    if (task.firstAt() != null) {
      out.println("  from      " + RecordText.timestamp(task.firstAt()) + " to " + RecordText.timestamp(task.lastAt())
          + " (" + RecordText.span(Duration.between(task.firstAt(), task.lastAt())) + ")");
    }
    for (TaskSummary worker : task.workers()) {
      out.println("  worker    " + worker.id() + ": " + worker.records() + " records, errors: " + worker.errors());
    }
    if (!task.heartbeats().isEmpty()) {
      out.println("  VRAM      " + vram(task.heartbeats(), task.heartbeatCount()));
    }
  }

  /**
   * The task's GPU memory as its heartbeats reported it: the peak used, of the total. The store
   * keeps the peak among the heartbeats it thins ({@link TaskTimeline#heartbeats}); {@code sent}
   * is how many there were.
   */
  static String vram(List<HeartbeatPoint> heartbeats, long sent) {
    int peak = heartbeats.stream().map(HeartbeatPoint::vramUsedMb).filter(v -> v != null).mapToInt(v -> v).max().orElse(-1);
    Integer total = heartbeats.get(heartbeats.size() - 1).vramTotalMb();
    String over = sent == 1 ? "1 heartbeat" : sent + " heartbeats";
    if (peak < 0 && total == null) {
      return "not reported in " + over + " (no GPU, or nvidia-smi could not read it)";
    }
    return (peak < 0 ? "unknown" : "peak " + peak + " MiB") + " of " + (total == null ? "?" : total) + " MiB over " + over;
  }
}
