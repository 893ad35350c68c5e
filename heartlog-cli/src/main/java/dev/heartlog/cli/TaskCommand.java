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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
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

  @Parameters(paramLabel = "TASK_ID", description = "The task's id, or its start where no other task's id starts so (84a151ad).")
  String taskId;

  @Option(names = "--json", description = "The timeline as one JSON object, every record in order, however many.")
  boolean json;

  /** Records read at a time: a timeline of any length is printed page by page. */
  static final int PAGE = 10_000;

  @Override
  public Integer call() {
    BlankValues.refuseTask(spec, null, taskId);
    try (StoreOptions.Opened opened = storeOptions.open()) {
      return print(opened.store());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int print(Store store) {
    TaskTimeline task = store.task(taskId, PAGE, PAGE);
    if (task.isEmpty()) {
      // Nothing of that id: it may be the start of a task's, as the viewer shows it.
      String meant = TaskIdArgument.resolve(store, taskId, spec.commandLine().getErr());
      if (!meant.equals(taskId)) {
        taskId = meant;
        task = store.task(taskId, PAGE, PAGE);
      }
    }
    if (task.isEmpty()) {
      spec.commandLine().getErr().println(
          "heartlog: no records or heartbeats for task " + taskId + " (check the id; records are kept 48 hours)");
      return 1;
    }
    PrintWriter out = spec.commandLine().getOut();
    List<StoredRecord> beforeGap = task.records().subList(0, task.leftOutAt());
    List<StoredRecord> afterGap = task.records().subList(task.leftOutAt(), task.records().size());
    Iterable<StoredRecord> between = task.leftOut() == 0 || beforeGap.isEmpty() ? List.of()
        : () -> new Between(store, beforeGap.get(beforeGap.size() - 1),
            afterGap.stream().map(StoredRecord::id).collect(Collectors.toSet()));
    if (json) {
      StoreJson.task(task, between, task.explainingError().flatMap(store::errorKindId).orElse(null), out);
      out.println();
      return 0;
    }
    printSummary(out, task);
    out.println();
    out.println("Timeline:");
    // The timeline prints no stack traces: the failure's is printed below it, and where the failure
    // has none, the last one an error of the task had before it.
    beforeGap.forEach(record -> printRecord(out, record));
    between.forEach(record -> printRecord(out, record));
    afterGap.forEach(record -> printRecord(out, record));
    StoredRecord explaining = task.explainingError().orElse(null);
    task.failure().ifPresent(failure -> {
      out.println();
      out.println("Failure:");
      out.println("  " + RecordText.line(failure));
      if (explaining.id() != failure.id()) {
        // A worker's closing line ("Task failed") after the error that logged the exception.
        out.println("  (no stack trace; the task's last error that had one:)");
        out.println("  " + RecordText.line(explaining));
      }
      printException(out, explaining);
      String sameStore = storeOptions.sameStore(spec.commandLine().getParseResult());
      printKind(out, store, explaining, sameStore);
      // What made a task fail is often before it: the task before, a model loaded, a warning.
      out.println("  Its worker's records around it, across tasks: " + Launcher.command() + " logs --worker "
          + RecordText.printable(RecordText.shellWord(explaining.workerId())) + " --around " + explaining.id()
          + sameStore);
    });
    return 0;
  }

  /**
   * The kind of the error that explains the failure, and the command that lists where else it was
   * made in the two hours around it: one bad machine's, or the fleet's. Around it, not since: an
   * old failure's kind over all the hours since would group every error made since.
   */
  private static void printKind(PrintWriter out, Store store, StoredRecord explaining, String sameStore) {
    Instant at = explaining.timestamp().truncatedTo(ChronoUnit.SECONDS);
    store.errorKindId(explaining).ifPresent(kind -> out.println("  Kind " + kind + "; where else it was made: "
        + Launcher.command() + " errors --kind " + kind + " --since " + at.minus(Duration.ofHours(1)) + " --until "
        + at.plus(Duration.ofHours(1)) + sameStore));
  }

  private static void printException(PrintWriter out, StoredRecord record) {
    if (record.hasStackTrace()) {
      record.exception().lines().forEach(line -> out.println(RecordText.INDENT + RecordText.printable(line)));
    }
  }

  /**
   * The records between a timeline's two ends, in order, read a page at a time: those after
   * {@code from} up to the first of {@code ending}, the end read with the timeline.
   */
  private final class Between implements Iterator<StoredRecord> {
    private final Store store;
    private final Set<Long> ending;
    private Iterator<StoredRecord> page = Collections.emptyIterator();
    private long after;
    private boolean lastPage;
    private StoredRecord next;

    Between(Store store, StoredRecord from, Set<Long> ending) {
      this.store = store;
      this.ending = ending;
      this.after = from.id();
    }

    @Override
    public boolean hasNext() {
      if (next == null && !page.hasNext() && !lastPage) {
        List<StoredRecord> read = store.taskRecordsAfter(taskId, after, PAGE);
        lastPage = read.size() < PAGE;
        page = read.iterator();
      }
      if (next == null && page.hasNext()) {
        StoredRecord candidate = page.next();
        if (ending.contains(candidate.id())) {
          lastPage = true;
          page = Collections.emptyIterator();
        } else {
          next = candidate;
          after = candidate.id();
        }
      }
      return next != null;
    }

    @Override
    public StoredRecord next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      StoredRecord record = next;
      next = null;
      return record;
    }
  }

  private static void printRecord(PrintWriter out, StoredRecord record) {
    out.println("  " + RecordText.timelineLine(record));
  }

  private static void printSummary(PrintWriter out, TaskTimeline task) {
    out.println("Task " + RecordText.printable(task.taskId()) + "  " + (task.failure().isPresent() ? "FAILED" : "ok"));
    if (task.firstAt() != null) {
      out.println("  from      " + RecordText.timestamp(task.firstAt()) + " to " + RecordText.timestamp(task.lastAt())
          + " (" + RecordText.span(Duration.between(task.firstAt(), task.lastAt())) + ")");
    }
    for (TaskSummary worker : task.workers()) {
      out.println("  worker    " + RecordText.printable(worker.id()) + ": " + RecordText.count(worker.records(), "record") + ", errors: "
          + worker.errors());
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
