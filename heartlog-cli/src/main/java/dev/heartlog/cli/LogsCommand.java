package dev.heartlog.cli;

import dev.heartlog.store.ErrorKind;
import dev.heartlog.store.LogFilter;
import dev.heartlog.store.MetadataFilter;
import dev.heartlog.store.RecordFollower;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoreException;
import dev.heartlog.store.StoreJson;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TaskFilter;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

@Command(
    name = "logs",
    description = "Prints stored log records, oldest first: the newest --limit that match the filters.",
    mixinStandardHelpOptions = true)
final class LogsCommand implements Callable<Integer> {

  /** How often {@code --follow} looks for new records. */
  static final Duration FOLLOW_POLL = Duration.ofSeconds(1);
  /** How often {@code --follow} tries again while the store does not answer. */
  static final Duration FOLLOW_RETRY = Duration.ofSeconds(2);
  /** Ids read at most per look; a full read is followed by the next after a short pause. */
  private static final int FOLLOW_READ_LIMIT = 5_000;

  @Spec CommandSpec spec;
  @Mixin StoreOptions storeOptions;

  @Option(names = "--worker", paramLabel = "ID", description = "Only this worker's records.")
  String worker;

  @Option(names = "--task", paramLabel = "ID", description = "Only this task's records: its id, or its start where no other task's id starts so.")
  String task;

  @Option(names = "--level", paramLabel = "LEVEL",
      description = "Minimum level: DEBUG, INFO, WARNING, ERROR, CRITICAL, in any case (or WARN, SEVERE, FATAL, TRACE).")
  String level;

  @Option(names = "--since", paramLabel = "TIME", converter = TimeArgument.class,
      description = "Only records made at or after TIME: an age (30s, 15m, 2h, 1d, 1h30m), a timestamp "
          + "(2026-11-27T22:00:00Z), a time of day (22:00, its last time; UTC) or today or yesterday.")
  Instant since;

  @Option(names = "--until", paramLabel = "TIME", converter = TimeArgument.class,
      description = "Only records made before TIME (same forms as --since).")
  Instant until;

  @Option(names = "--grep", paramLabel = "TEXT", description = "Only records whose message contains TEXT (any case).")
  String grep;

  @Option(names = "--component", paramLabel = "NAME",
      description = "Only records of this component or logger, or below it (diffusers covers diffusers.pipelines; any case).")
  String component;

  @Option(names = "--meta", paramLabel = "KEY=VALUE",
      description = "Only records whose metadata has KEY with this VALUE (model=wan2.1; frame=12 matches the"
          + " number and the text). Repeat it for more keys: all must match. Combine it with --since, --worker or"
          + " --task on a large store: no index serves it.")
  List<String> metadata = new ArrayList<>();

  @Option(names = "--kind", paramLabel = "ID",
      description = "Only the errors of this kind (its id, as heartlog errors lists it), each whole, in the range as "
          + "heartlog errors reads it: without --since, the hour before --until, else the last hour.")
  String kind;

  @Option(names = "--around", paramLabel = "TIME|ID",
      description = "The records around TIME (same forms as --since) or around record ID (its \"id\" in --json): the "
          + "--context records before it and as many from it on, of the other filters; what a worker did before and "
          + "after a crash, across its tasks.")
  String around;

  @Option(names = "--context", paramLabel = "N", defaultValue = "" + LogFilter.DEFAULT_CONTEXT,
      description = "With --around: N records on each side (default ${DEFAULT-VALUE}, at most 10000).")
  int context;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N records (default ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--json", description = "One JSON object per line.")
  boolean json;

  @Option(names = "--no-stack-traces",
      description = "Print each record on one line, without the stack trace or traceback indented below it.")
  boolean noStackTraces;

  @Option(names = {"-f", "--follow"}, description = "Keep printing new records as they are stored (Ctrl-C ends).")
  boolean follow;

  /** The stack trace printed last, and its record's time. */
  private String lastStackTrace;
  private String lastStackTraceAt;

  @Override
  public Integer call() throws InterruptedException {
    if (follow && until != null) {
      // Following prints what is stored from now on; --until would keep only what was stamped
      // before a time, and so print nothing, or go on past it. The viewer's tail is off there too.
      throw new ParameterException(spec.commandLine(),
          "--follow prints records as they are stored from now on; it does not go with --until");
    }
    BlankValues.refuseWorker(spec, "--worker", worker);
    BlankValues.refuseTask(spec, "--task", task);
    if (kind != null) {
      return listKind();
    }
    BlankValues.refuse(spec, "--component", component, "a logger's or component's name (diffusers)");
    if (around != null) {
      return listAround();
    }
    if (given("--context")) {
      throw new ParameterException(spec.commandLine(), "--context is the records on each side of --around's point; give --around");
    }
    LogFilter filter = filter();
    PrintWriter out = spec.commandLine().getOut();
    try (StoreOptions.Opened opened = follow ? storeOptions.openHeld() : storeOptions.open()) {
      SignalStop stop = SignalStop.on(opened);
      try {
        Store store = opened.store();
        // Read before the records are listed, so that following misses none stored meanwhile.
        long lastId = follow ? store.lastLogId() : 0;
        // Those stored since lastId, which following would otherwise print again.
        Set<Long> storedSince = new HashSet<>();
        long listed = list(store, filter, lastId, storedSince, out);
        if (listed == 0 && task != null) {
          // No record of that id: it may be the start of a task's, as the viewer shows it.
          String meant = TaskIdArgument.resolve(store, task, spec.commandLine().getErr());
          if (!meant.equals(task)) {
            task = meant;
            filter = filter();
            listed = list(store, filter, lastId, storedSince, out);
          }
        }
        if (listed == 0 && !json && !follow) {
          spec.commandLine().getErr().println("heartlog: no records match (records are kept 48 hours)");
          UnknownWorker.noteIfUnknown(store, worker, spec.commandLine().getErr());
        }
        noteSkewedClocks(store);
        out.flush();
        if (follow && !readerWentAway(out)) {
          follow(store, filter, lastId, storedSince, out, stop);
        }
      } catch (InterruptedException | StoreException e) {
        if (!stop.requested()) {
          throw e;
        }
      } finally {
        stop.done();
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return 0;
  }

  /** Prints the records that match, oldest first, keeping in {@code storedSince} those after {@code lastId}. */
  private long list(Store store, LogFilter filter, long lastId, Set<Long> storedSince, PrintWriter out)
      throws java.io.IOException {
    return PagedListing.eachOldestFirst(store, filter, PagedListing.PAGE, record -> {
      print(out, record);
      if (follow && record.id() > lastId) {
        storedSince.add(record.id());
      }
    });
  }

  /**
   * Prints the errors of one kind ({@code --kind}) in the range, oldest first, the newest {@code
   * --limit}; exit code 1, as {@code heartlog errors --kind}, where the range holds none of it.
   * The kind is that of {@code heartlog errors}, which groups the errors of a range: so is the
   * range read (the last hour by default), and the filters on anything else are refused.
   */
  private int listKind() {
    List<String> refused = new ArrayList<>();
    if (follow) {
      refused.add("--follow");
    }
    if (level != null) {
      refused.add("--level");
    }
    if (grep != null) {
      refused.add("--grep");
    }
    if (component != null) {
      refused.add("--component");
    }
    if (!metadata.isEmpty()) {
      refused.add("--meta");
    }
    if (around != null) {
      refused.add("--around");
    }
    if (given("--context")) {
      refused.add("--context");
    }
    if (!refused.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--kind lists the errors of one kind as heartlog errors groups "
          + "a range's; it does not go with " + String.join(", ", refused));
    }
    int most = LimitOption.positive(spec, limit);
    Instant from = TaskFilter.sinceOrDefault(since, until, Instant.now());
    String kindId;
    try {
      kindId = ErrorKind.checkedId(kind);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--kind: " + e.getMessage());
    }
    try {
      LogFilter.checkRange(from, until);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (StoreOptions.Opened opened = storeOptions.open()) {
      Store store = opened.store();
      long listed = listKind(store, kindId, from, most, out);
      if (listed == 0 && task != null) {
        String meant = TaskIdArgument.resolve(store, task, err);
        if (!meant.equals(task)) {
          task = meant;
          listed = listKind(store, kindId, from, most, out);
        }
      }
      if (listed == 0) {
        err.println("heartlog: no errors of kind " + kindId + (worker == null ? "" : " of worker " + RecordText.printable(worker))
            + (task == null ? "" : " in task " + RecordText.printable(task)) + " since " + RecordText.second(from)
            + (until == null ? "" : " before " + RecordText.second(until))
            + " (heartlog errors lists the range's kinds; records are kept 48 hours)");
        UnknownWorker.noteIfUnknown(store, worker, err);
      }
      SkewedClocks.note(store, worker, err);
      out.flush();
      return listed == 0 ? 1 : 0;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Prints the records around a time or a record ({@code --around}), oldest first: {@code
   * --context} before the point and as many from it on, of the other filters, with a line marking
   * the point (not with {@code --json}); exit code 1 where the record is gone. The point is their
   * range, so a range, a limit or following is refused.
   */
  private int listAround() {
    List<String> refused = new ArrayList<>();
    if (since != null) {
      refused.add("--since");
    }
    if (until != null) {
      refused.add("--until");
    }
    if (given("--limit")) {
      refused.add("--limit");
    }
    if (follow) {
      refused.add("--follow");
    }
    if (!refused.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--around lists --context records on each side of its point; "
          + "it does not go with " + String.join(", ", refused));
    }
    if (context <= 0 || context > PagedListing.PAGE) {
      throw new ParameterException(spec.commandLine(), "--context must be 1 to " + PagedListing.PAGE + " (got " + context + ")");
    }
    Long recordId = null;
    Instant at = null;
    try {
      if (around.strip().matches("[0-9]+")) {
        recordId = Long.parseLong(around.strip());
      } else {
        at = new TimeArgument().convert(around);
      }
    } catch (NumberFormatException | TypeConversionException e) {
      throw new ParameterException(spec.commandLine(), "--around takes a time or a record's id: "
          + (e instanceof NumberFormatException ? "'" + around + "' is too large an id" : e.getMessage()));
    }
    LogFilter filter = filter(context);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (StoreOptions.Opened opened = storeOptions.open()) {
      Store store = opened.store();
      if (task != null) {
        task = TaskIdArgument.resolve(store, task, err);   // a task's id in part, as the viewer shows it
        filter = filter(context);
      }
      List<StoredRecord> records = recordId != null ? store.logsAround(filter, recordId) : store.logsAround(filter, at);
      if (records.isEmpty() && recordId != null) {
        err.println("heartlog: no record " + recordId + " (records are kept 48 hours)");
        return 1;
      }
      String point = recordId != null ? "record " + recordId : RecordText.timestamp(at);
      boolean marked = json;
      for (StoredRecord record : records) {
        boolean atPoint = recordId != null ? record.id() == recordId : !record.timestamp().isBefore(at);
        if (!marked && atPoint) {
          out.println("-- " + point + " --");
          marked = true;
        }
        print(out, record);
      }
      if (!marked) {
        out.println("-- " + point + " --");   // nothing from it on
      }
      if (records.isEmpty()) {
        err.println("heartlog: no records match (records are kept 48 hours)");
        UnknownWorker.noteIfUnknown(store, worker, err);
      }
      if (at != null) {
        SkewedClocks.note(store, worker, err);
      }
      out.flush();
      return 0;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private boolean given(String option) {
    return spec.commandLine().getParseResult().hasMatchedOption(option);
  }

  private long listKind(Store store, String kindId, Instant from, int most, PrintWriter out) throws java.io.IOException {
    return PagedListing.eachOldestFirst(PagedListing.errorsOfKind(store, kindId, worker, task, from, until), most,
        PagedListing.PAGE, record -> print(out, record));
  }

  /**
   * A range of times reads records by their own times: says whose clocks put records off it
   * (SkewedClocks), so that a worker 3 hours behind whose --since 10m lists nothing is not taken
   * for a worker that logged nothing.
   */
  private void noteSkewedClocks(Store store) {
    if (since == null && until == null) {
      return;
    }
    SkewedClocks.note(store, worker, spec.commandLine().getErr());
  }

  /**
   * Prints the records stored after {@code lastId} as they come, until interrupted or stopped.
   * A database that stops answering (a restart, a failover, a network gone a while) is said once
   * on stderr and tried again every {@link #FOLLOW_RETRY}; once it answers, following goes on from
   * the last record printed, so what was stored meanwhile (the spools' records) is printed then.
   * The embedded store's server, killed while this follows it, is started again on its port.
   */
  private void follow(Store store, LogFilter filter, long lastId, Set<Long> shown, PrintWriter out,
      SignalStop stop) throws InterruptedException {
    // A record stored after lastId may already be among those just printed.
    RecordFollower follower = new RecordFollower(store, lastId);
    List<LogFilter> wanted = List.of(filter);
    PrintWriter err = spec.commandLine().getErr();
    Long unansweredSinceNanos = null;   // the clock of intervals: the wall clock may be set meanwhile
    while (!stop.requested() && !Thread.currentThread().isInterrupted()) {
      RecordFollower.Read next;
      try {
        next = follower.read(wanted, FOLLOW_READ_LIMIT);   // a read that fails leaves the follower as it was
      } catch (StoreException e) {
        if (!e.isUnreachable() || stop.requested()) {
          throw e;
        }
        if (unansweredSinceNanos == null) {
          unansweredSinceNanos = System.nanoTime();
          err.println("heartlog: " + e.getMessage() + "; still following, trying again every "
              + FOLLOW_RETRY.toSeconds() + " s (Ctrl-C ends)");
          err.flush();
        }
        Thread.sleep(FOLLOW_RETRY.toMillis());
        continue;
      }
      if (unansweredSinceNanos != null) {
        err.println("heartlog: the store answers again after "
            + Duration.ofNanos(System.nanoTime() - unansweredSinceNanos).toSeconds() + " s; following on from the last record printed");
        err.flush();
        unansweredSinceNanos = null;
      }
      for (StoredRecord record : next.records()) {
        if (!shown.remove(record.id())) {
          print(out, record);
        }
      }
      out.flush();
      if (readerWentAway(out)) {
        return;
      }
      // Behind: read again after a pause four times as long as the read, to spare the store.
      Thread.sleep(next.full() ? follower.catchUpPauseMillis() : FOLLOW_POLL.toMillis());
    }
  }

  /**
   * Whether what this command prints goes nowhere any more: the program reading it exited ({@code
   * logs --follow | head -20}, {@code | grep -m 1 ...}). Java ignores the SIGPIPE that ends a C
   * program there, and its writes fail silently, so following went on for ever. It ends quietly
   * at its first write after the reader went, as ripgrep does; with no record to print, it learns
   * of it only when one comes.
   */
  private static boolean readerWentAway(PrintWriter out) {
    return out.checkError();
  }

  private LogFilter filter() {
    return filter(LimitOption.positive(spec, limit));
  }

  private LogFilter filter(int most) {
    try {
      return new LogFilter(worker, task, LogFilter.minimumLevel(level), since, until, grep, component, MetadataFilter.parse(metadata),
          most);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private void print(PrintWriter out, StoredRecord record) {
    if (json) {
      out.println(StoreJson.record(record));
      return;
    }
    out.println(RecordText.line(record, noStackTraces));
    if (!noStackTraces && record.exception() != null) {
      if (record.exception().equals(lastStackTrace)) {
        // heartlog run's record of a crash carries the traceback printed just before it.
        out.println("    (the stack trace of the record at " + lastStackTraceAt + ")");
      } else {
        // As the worker's console showed it, below its record.
        record.exception().lines().forEach(line -> out.println(RecordText.INDENT + RecordText.printable(line)));
        lastStackTrace = record.exception();
        lastStackTraceAt = RecordText.timestamp(record.timestamp());
      }
    }
  }
}
