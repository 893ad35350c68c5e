package dev.heartlog.cli;

import dev.heartlog.store.MetadataFilter;
import dev.heartlog.store.RecentTask;
import dev.heartlog.store.StoreJson;
import dev.heartlog.store.TaskFilter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "tasks",
    description = "Lists the tasks that logged in a time range (the last hour, or the hour before --until, unless "
        + "told), the most recently active first: outcome, start, duration, records, workers, and a failed task's "
        + "last error.",
    mixinStandardHelpOptions = true)
final class TasksCommand implements Callable<Integer> {

  private static final String ROW = "%-38s %-7s %-20s %9s %8s  %-20s %s";

  @Spec CommandSpec spec;
  @Mixin StoreOptions storeOptions;

  @Option(names = "--since", paramLabel = "TIME", converter = TimeArgument.class,
      description = "Tasks with records made at or after TIME: an age (30s, 15m, 2h, 1d, 1h30m), a timestamp, "
          + "a time of day (22:00, UTC) or today or yesterday (default: an hour before --until, else the last hour).")
  Instant since;

  @Option(names = "--until", paramLabel = "TIME", converter = TimeArgument.class,
      description = "Tasks with records made before TIME (same forms as --since).")
  Instant until;

  @Option(names = "--worker", paramLabel = "ID", description = "Only the tasks this worker logged for.")
  String worker;

  @Option(names = "--failed",
      description = "Only the tasks with an ERROR or CRITICAL record in the range, the latest failure first.")
  boolean failed;

  @Option(names = "--meta", paramLabel = "KEY=VALUE",
      description = "Only the tasks with a record in the range whose metadata has KEY with this VALUE (model=wan2.1),"
          + " as logs --meta matches it; with --failed, the tasks of that model that failed. Repeat it for more keys.")
  List<String> metadata = new ArrayList<>();

  @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "Tasks to show (default ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--json", description = "The tasks as a JSON array.")
  boolean json;

  @Override
  public Integer call() {
    BlankValues.refuseWorker(spec, "--worker", worker);
    TaskFilter filter;
    try {
      filter = new TaskFilter(worker, TaskFilter.sinceOrDefault(since, until, Instant.now()), until, failed,
          MetadataFilter.parse(metadata), LimitOption.positive(spec, limit));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    List<RecentTask> tasks;
    try (StoreOptions.Opened opened = storeOptions.open()) {
      tasks = opened.store().tasks(filter);
      if (tasks.isEmpty() && !json) {
        UnknownWorker.noteIfUnknown(opened.store(), worker, spec.commandLine().getErr());
      }
      // Tasks are found by their records' times, which are their workers' own.
      SkewedClocks.note(opened.store(), worker, spec.commandLine().getErr());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(StoreJson.tasks(tasks));
      return 0;
    }
    if (tasks.isEmpty()) {
      out.println("No " + (failed ? "failed tasks" : "tasks") + (worker == null ? "" : " of worker " + worker)
          + " logged since " + RecordText.second(filter.since()) + (until == null ? "" : " before " + RecordText.second(until))
          + ".");
      return 0;
    }
    out.println(String.format(ROW, "TASK", "OUTCOME", "STARTED", "DURATION", "RECORDS", "WORKERS", "FAILURE"));
    for (RecentTask task : tasks) {
      String row = String.format(ROW, RecordText.printable(task.id()), task.failed() ? "failed" : "ok", RecordText.second(task.firstAt()),
          RecordText.span(Duration.between(task.firstAt(), task.lastAt())), task.records(),
          RecordText.printable(workers(task.workers())), RecordText.printable(failure(task)));
      out.println(row.stripTrailing());   // an ok task has no failure to show
    }
    return 0;
  }

  /**
   * The workers of a task on its one line: the first {@value #WORKERS_NAMED}, then how many more,
   * as a task picked up again and again after crashes had every one of them written out on its
   * line, the failure pushed past the screen; {@code heartlog task} lists them all.
   */
  static String workers(List<String> workers) {
    if (workers.size() <= WORKERS_NAMED) {
      return String.join(",", workers);
    }
    return String.join(",", workers.subList(0, WORKERS_NAMED)) + " +" + (workers.size() - WORKERS_NAMED) + " more";
  }

  private static final int WORKERS_NAMED = 3;

  /**
   * A failed task's failure on its one line: the first line of its last error's message, then
   * the exception that explains it in brackets, where the message does not already say it, as
   * "Task failed (torch.OutOfMemoryError: CUDA out of memory. ...)"; cut to {@value
   * #MAX_FAILURE_CHARS} characters. {@code heartlog task} shows the message and the stack trace
   * whole.
   */
  static String failure(RecentTask task) {
    return task.failure() == null ? "" : failureLine(task.failure(), task.failureException());
  }

  /**
   * A failure's message on one line, with the line that names its exception ({@code null} for
   * none) in brackets where that line does not say it already, cut as {@link #failure} says. Its
   * first line only: asyncio's "Task exception was never retrieved" names the exception on its
   * second, which is not shown. Where the line naming the exception goes on from the message
   * (an uncaught JavaScript error's message, "TypeError: fetch failed", and its line named with
   * its cause, "TypeError: fetch failed, caused by Error: bad port"), that line alone.
   */
  static String failureLine(String failure, String failureException) {
    String line = firstLine(failure);
    String exception = failureException == null ? "" : failureException.strip();
    if (!line.isEmpty() && exception.startsWith(line)) {
      line = exception;
    } else if (!exception.isEmpty() && !line.contains(exceptionMessage(exception))) {
      line = line + " (" + exception + ")";
    }
    return cut(line);
  }

  /**
   * A message's first line, as a failure is shown on one line; where that line says nothing (a
   * rule of asterisks over Spring Boot's "APPLICATION FAILED TO START"), its first line that
   * does, as the store names the error's kind.
   */
  static String firstLine(String message) {
    String first = message.strip().lines().findFirst().orElse("");
    if (first.codePoints().anyMatch(TasksCommand::isWordCharacter)) {
      return first;
    }
    return message.strip().lines().filter(line -> line.codePoints().anyMatch(TasksCommand::isWordCharacter))
        .findFirst().orElse(first);
  }

  private static boolean isWordCharacter(int c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  /** A failure's line cut to {@value #MAX_FAILURE_CHARS} characters. */
  static String cut(String line) {
    return line.length() <= MAX_FAILURE_CHARS ? line : line.substring(0, MAX_FAILURE_CHARS - 1) + "…";
  }

  /**
   * What an exception's line says after its type ("CUDA out of memory" of
   * "java.lang.IllegalStateException: CUDA out of memory"), or the line where it names a type
   * alone: a worker that logged {@code "Task failed: " + e.getMessage()} has said it already.
   */
  private static String exceptionMessage(String exceptionLine) {
    int colon = exceptionLine.indexOf(": ");
    return colon < 0 ? exceptionLine : exceptionLine.substring(colon + 2);
  }

  private static final int MAX_FAILURE_CHARS = 160;
}
