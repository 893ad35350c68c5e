package dev.heartlog.cli;

import dev.heartlog.store.StoreJson;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TaskSummary;
import dev.heartlog.store.WorkerDetail;
import dev.heartlog.store.WorkerHealth;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "worker",
    description = "Prints a worker's status, last heartbeat and its age, VRAM, recent tasks and its latest records.",
    mixinStandardHelpOptions = true)
final class WorkerCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin StoreOptions storeOptions;

  @Parameters(paramLabel = "WORKER_ID", description = "The worker's id.")
  String workerId;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "Records to show (default ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--json", description = "The worker as one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    LimitOption.positive(spec, limit);
    BlankValues.refuseWorker(spec, null, workerId);
    Optional<WorkerDetail> found;
    try (StoreOptions.Opened opened = storeOptions.open()) {
      found = opened.store().worker(workerId, limit, 10);
      if (found.isEmpty()) {
        spec.commandLine().getErr().println("heartlog: " + UnknownWorker.sentence(opened.store(), workerId)
            + " (heartlog workers lists them)");
        return 1;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PrintWriter out = spec.commandLine().getOut();
    WorkerDetail worker = found.get();
    if (json) {
      out.println(StoreJson.worker(worker));
      return 0;
    }
    WorkerHealth health = worker.health();
    out.println("Worker " + RecordText.printable(health.id()) + "  " + RecordText.printable(health.health())
        + (health.health().equals("unknown") ? " (no row in workers: the orchestrator removed it; its records are kept)" : ""));
    out.println("  last heartbeat  " + RecordText.timestamp(health.lastHeartbeat()) + " (" + RecordText.age(health.heartbeatAgeSeconds()) + ")");
    if (health.workerRowError() != null) {
      out.println("  workers row     refused by the orchestrator's table, its records stored: "
          + RecordText.printable(health.workerRowError()));
    }
    if (health.sharedIdAt() != null) {
      out.println("  shared id       several processes send heartbeats as this worker at once (last "
          + RecordText.timestamp(health.sharedIdAt()) + "): give each its own worker id; status, task and VRAM here "
          + "are whichever sent last");
    }
    if (health.clockSkewed()) {
      out.println("  clock           " + RecordText.skew(health.clockSkewMs())
          + (health.clockSkewMs() < 0 ? " the store's" : " of the store's")
          + ": its records carry its own times, which --since reads");
    }
    // Why the figures are missing, or cover only some GPUs, as its newest heartbeat said.
    out.println("  VRAM            " + RecordText.vram(health.vramUsedMb(), health.vramTotalMb())
        + (health.gpuProblem() == null ? "" : "  (" + RecordText.printable(health.gpuProblem()) + ")"));
    out.println("  current task    " + (health.currentTaskId() == null ? "-" : RecordText.printable(health.currentTaskId())));
    out.println("  last hour       " + RecordText.count(health.errorsLastHour(), "error") + ", "
        + RecordText.count(health.warningsLastHour(), "warning")
        + (health.errorsLastHour() == 0 ? ""
            : "  (by kind: " + Launcher.command() + " errors --worker " + RecordText.printable(RecordText.shellWord(health.id()))
                + storeOptions.sameStore(spec.commandLine().getParseResult()) + ")"));
    out.println();
    out.println("Recent tasks:");
    if (worker.recentTasks().isEmpty()) {
      out.println("  (none)");
    }
    for (TaskSummary task : worker.recentTasks()) {
      out.println("  " + RecordText.printable(task.id()) + "  " + RecordText.clock(task.firstAt()) + " - " + RecordText.clock(task.lastAt())
          + "  " + RecordText.count(task.records(), "record") + (task.failed() ? "  FAILED" + failure(task) : ""));
    }
    out.println();
    out.println("Timeline (latest " + worker.records().size() + "):");
    for (StoredRecord record : worker.records()) {
      out.println("  " + RecordText.line(record));
    }
    return 0;
  }

  /**
   * What failed a task, after FAILED: its last error's message on one line, with the line that
   * names its exception where the message does not say it, as {@code heartlog tasks} shows it
   * ("the worker process exited with code 1 (MemoryError: ...)"); empty where it was not read.
   */
  static String failure(TaskSummary task) {
    return task.failure() == null ? ""
        : "  " + RecordText.printable(TasksCommand.failureLine(task.failure(), task.failureException()));
  }
}
