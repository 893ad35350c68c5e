package dev.heartlog.cli;

import dev.heartlog.store.ErrorKind;
import dev.heartlog.store.ErrorKinds;
import dev.heartlog.store.LogFilter;
import dev.heartlog.store.StoreJson;
import dev.heartlog.store.TaskFilter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "errors",
    description = "Lists the kinds of errors (ERROR and CRITICAL records) made in a time range (the last hour, or the "
        + "hour before --until, unless told), the most frequent first: how many, on how many workers and tasks, and "
        + "the latest of each. Errors are alike when the line naming their exception (else their message's first "
        + "line) is, but for its numbers.",
    mixinStandardHelpOptions = true)
final class ErrorsCommand implements Callable<Integer> {

  private static final String ROW = "%6s %7s %6s  %-20s  %-36s  %s";

  @Spec CommandSpec spec;
  @Mixin StoreOptions storeOptions;

  @Option(names = "--since", paramLabel = "TIME", converter = TimeArgument.class,
      description = "Errors made at or after TIME: an age (30s, 15m, 2h, 1d, 1h30m), a timestamp, a time of day "
          + "(22:00, UTC) or today or yesterday (default: an hour before --until, else the last hour).")
  Instant since;

  @Option(names = "--until", paramLabel = "TIME", converter = TimeArgument.class,
      description = "Errors made before TIME (same forms as --since).")
  Instant until;

  @Option(names = "--worker", paramLabel = "ID", description = "Only this worker's errors.")
  String worker;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "" + ErrorKinds.DEFAULT_LIMIT,
      description = "Kinds to show, the most frequent (default ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--json", description = "The kinds as one JSON object, with the counts in all.")
  boolean json;

  @Override
  public Integer call() {
    BlankValues.refuseWorker(spec, "--worker", worker);
    LimitOption.positive(spec, limit);
    Instant from = TaskFilter.sinceOrDefault(since, until, Instant.now());
    try {
      LogFilter.checkRange(from, until);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    ErrorKinds errors;
    try (StoreOptions.Opened opened = storeOptions.open()) {
      errors = opened.store().errorKinds(worker, from, until, limit);
      if (errors.kinds().isEmpty() && !json) {
        UnknownWorker.noteIfUnknown(opened.store(), worker, spec.commandLine().getErr());
      }
      // Errors are found by their times, which are their workers' own.
      SkewedClocks.note(opened.store(), worker, spec.commandLine().getErr());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(StoreJson.errorKinds(errors));
      return 0;
    }
    String range = (worker == null ? "" : " of worker " + worker) + " since " + RecordText.second(from)
        + (until == null ? "" : " before " + RecordText.second(until));
    if (errors.kinds().isEmpty()) {
      out.println("No errors" + range + ".");
      return 0;
    }
    out.println(String.format(ROW, "ERRORS", "WORKERS", "TASKS", "LATEST", "LATEST TASK", "ERROR").stripTrailing());
    for (ErrorKind kind : errors.kinds()) {
      out.println(String.format(ROW, kind.errors(), kind.workers(), kind.tasks(), RecordText.second(kind.lastAt()),
          kind.taskId() == null ? "-" : RecordText.printable(kind.taskId()),
          RecordText.printable(TasksCommand.failureLine(kind.message(), kind.exception()))));
    }
    out.println();
    out.println(RecordText.count(errors.errorCount(), "error") + " of " + RecordText.count(errors.kindCount(), "kind")
        + range + (errors.kinds().size() < errors.kindCount()
            ? "; " + errors.kinds().size() + " shown, the most frequent (--limit)" : "") + ".");
    return 0;
  }
}
