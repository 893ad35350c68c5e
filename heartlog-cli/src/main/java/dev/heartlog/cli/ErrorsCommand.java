package dev.heartlog.cli;

import dev.heartlog.store.ErrorKind;
import dev.heartlog.store.ErrorKindDetail;
import dev.heartlog.store.ErrorKinds;
import dev.heartlog.store.LogFilter;
import dev.heartlog.store.StoreJson;
import dev.heartlog.store.TaskFilter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
        + "line) is, but for its numbers. With --kind, the workers and tasks one kind hit.",
    mixinStandardHelpOptions = true)
final class ErrorsCommand implements Callable<Integer> {

  private static final String ROW = "%-8s  %6s %7s %6s  %-20s  %-36s  %s";
  /** The row with --compare: the errors before, after the errors. */
  private static final String ROW_COMPARED = "%-8s  %6s %6s %7s %6s  %-20s  %-36s  %s";

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

  @Option(names = "--kind", paramLabel = "ID",
      description = "One kind of error (its id, the list's first column) and the workers and tasks it hit, the most "
          + "errors first.")
  String kind;

  @Option(names = "--compare",
      description = "Also count each kind's errors in the range before, as long (the hour before the last): BEFORE, "
          + "'new' for a kind made in the range only.")
  boolean compare;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "" + ErrorKinds.DEFAULT_LIMIT,
      description = "Kinds to show, the most frequent (default ${DEFAULT-VALUE}); with --kind, workers and tasks.")
  int limit;

  @Option(names = "--json", description = "The kinds (or the kind) as one JSON object, with the counts in all.")
  boolean json;

  @Override
  public Integer call() {
    BlankValues.refuseWorker(spec, "--worker", worker);
    LimitOption.positive(spec, limit);
    Instant now = Instant.now();
    Instant from = TaskFilter.sinceOrDefault(since, until, now);
    try {
      LogFilter.checkRange(from, until);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (kind != null) {
      if (compare) {
        throw new ParameterException(spec.commandLine(), "--compare compares the list of kinds with the range before;"
            + " it does not go with --kind");
      }
      return showKind(checkedKind(), from);
    }
    ErrorKinds errors;
    ErrorKinds.Before before = null;
    try (StoreOptions.Opened opened = storeOptions.open()) {
      errors = opened.store().errorKinds(worker, from, until, limit);
      if (compare) {
        before = opened.store().errorsBefore(errors, worker, now);
      }
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
      out.println(StoreJson.errorKinds(errors, before));
      return 0;
    }
    String range = range(from);
    if (errors.kinds().isEmpty()) {
      out.println("No errors" + range + ".");
      return 0;
    }
    String row = before == null ? ROW : ROW_COMPARED;
    out.println(String.format(row, cells(before, "KIND", "ERRORS", "BEFORE", "WORKERS", "TASKS", "LATEST", "LATEST TASK",
        "ERROR")).stripTrailing());
    for (ErrorKind kind : errors.kinds()) {
      String then = before == null ? null : before.of(kind.id()) == 0 ? "new" : String.valueOf(before.of(kind.id()));
      out.println(String.format(row, cells(before, kind.id(), kind.errors(), then, kind.workers(), kind.tasks(),
          RecordText.second(kind.lastAt()), kind.taskId() == null ? "-" : RecordText.printable(kind.taskId()),
          RecordText.printable(TasksCommand.failureLine(kind.message(), kind.exception())))));
    }
    out.println();
    out.println(RecordText.count(errors.errorCount(), "error") + " of " + RecordText.count(errors.kindCount(), "kind")
        + range + (errors.kinds().size() < errors.kindCount()
            ? "; " + errors.kinds().size() + " shown, the most frequent (--limit)" : "") + ".");
    if (before != null) {
      ErrorKinds.Before then = before;
      long fresh = errors.kinds().stream().filter(kind -> then.of(kind.id()) == 0).count();
      out.println("BEFORE: each kind's errors in the range before, as long: since " + RecordText.second(before.since())
          + " before " + RecordText.second(before.until()) + "; new: none then (" + fresh + " of the "
          + RecordText.count(errors.kinds().size(), "kind") + " listed).");
    }
    out.println(Launcher.command() + " errors --kind KIND lists the workers and tasks a kind hit"
        + (before == null ? "; --compare marks the kinds new since the range before." : "."));
    return 0;
  }

  /** A row's values, without the errors before where the list is not compared. */
  private static Object[] cells(ErrorKinds.Before before, Object id, Object errors, Object then, Object... rest) {
    List<Object> values = new ArrayList<>(List.of(id, errors));
    if (before != null) {
      values.add(then);
    }
    values.addAll(List.of(rest));
    return values.toArray();
  }

  /** One kind's workers and tasks; exit code 1 where the range holds none of it. */
  private int showKind(String kindId, Instant from) {
    Optional<ErrorKindDetail> detail;
    try (StoreOptions.Opened opened = storeOptions.open()) {
      detail = opened.store().errorKind(kindId, worker, from, until, limit);
      if (detail.isEmpty()) {
        spec.commandLine().getErr().println("heartlog: no errors of kind " + kindId + range(from)
            + " (heartlog errors lists the range's kinds; records are kept 48 hours)");
        UnknownWorker.noteIfUnknown(opened.store(), worker, spec.commandLine().getErr());
      }
      SkewedClocks.note(opened.store(), worker, spec.commandLine().getErr());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (detail.isEmpty()) {
      return 1;
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(StoreJson.errorKind(detail.get()));
    } else {
      ErrorKindText.print(detail.get(), range(from), out);
      out.println(Launcher.command() + " logs --kind " + kindId + sameFlags() + storeOptions.sameStore(spec.commandLine().getParseResult())
          + " prints each of its errors.");
    }
    return 0;
  }

  /** " of worker gpu-1 since 2026-11-27 22:00:00Z before ...": the range, as the listings end. */
  private String range(Instant from) {
    return (worker == null ? "" : " of worker " + worker) + " since " + RecordText.second(from)
        + (until == null ? "" : " before " + RecordText.second(until));
  }

  /**
   * The worker and range flags as they were given ({@code --since 2h}, not the time it came to),
   * each a shell word, for the command that lists the same errors.
   */
  private String sameFlags() {
    StringBuilder flags = new StringBuilder();
    for (String name : List.of("--worker", "--since", "--until")) {
      if (spec.commandLine().getParseResult().hasMatchedOption(name)) {
        String given = spec.commandLine().getParseResult().matchedOption(name).stringValues().get(0);
        flags.append(' ').append(name).append(' ').append(RecordText.printable(RecordText.shellWord(given)));
      }
    }
    return flags.toString();
  }

  private String checkedKind() {
    try {
      return ErrorKind.checkedId(kind);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--kind: " + e.getMessage());
    }
  }
}
