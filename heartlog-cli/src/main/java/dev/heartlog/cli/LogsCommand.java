package dev.heartlog.cli;

import dev.heartlog.store.LogFilter;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoreJson;
import dev.heartlog.store.StoredRecord;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "logs",
    description = "Prints stored log records, oldest first: the newest --limit that match the filters.",
    mixinStandardHelpOptions = true)
final class LogsCommand implements Callable<Integer> {

  /** How often {@code --follow} looks for new records. */
  static final Duration FOLLOW_POLL = Duration.ofSeconds(1);
  /** How far behind the newest id {@code --follow} looks again for records that committed late. */
  static final long FOLLOW_REREAD_IDS = 2_000;

  @Spec CommandSpec spec;
  @Mixin StoreOptions storeOptions;

  @Option(names = "--worker", paramLabel = "ID", description = "Only this worker's records.")
  String worker;

  @Option(names = "--task", paramLabel = "ID", description = "Only this task's records.")
  String task;

  @Option(names = "--level", paramLabel = "LEVEL",
      description = "Minimum level: DEBUG, INFO, WARNING (or WARN), ERROR, CRITICAL.")
  String level;

  @Option(names = "--since", paramLabel = "TIME", converter = TimeArgument.class,
      description = "Only records made at or after TIME: an age (30s, 15m, 2h, 1d) or a timestamp (2026-11-27T22:00:00Z).")
  Instant since;

  @Option(names = "--until", paramLabel = "TIME", converter = TimeArgument.class,
      description = "Only records made before TIME (same forms as --since).")
  Instant until;

  @Option(names = "--grep", paramLabel = "TEXT", description = "Only records whose message contains TEXT (any case).")
  String grep;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N records (default ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--json", description = "One JSON object per line.")
  boolean json;

  @Option(names = {"-f", "--follow"}, description = "Keep printing new records as they are stored (Ctrl-C ends).")
  boolean follow;

  @Override
  public Integer call() throws InterruptedException {
    LogFilter filter = filter();
    PrintWriter out = spec.commandLine().getOut();
    try (StoreOptions.Opened opened = storeOptions.open()) {
      Store store = opened.store();
      long lastId = store.lastLogId();
      List<StoredRecord> records = store.logs(filter);
      records.forEach(r -> print(out, r));
      if (records.isEmpty() && !json && !follow) {
        spec.commandLine().getErr().println("heartlog: no records match (records are kept 48 hours)");
      }
      out.flush();
      // Ids are given at insert and transactions commit in any order, so a record with a lower
      // id can appear after a higher one was printed: re-read a window behind the newest id and
      // skip the ids already printed.
      Set<Long> printed = new LinkedHashSet<>();
      // --limit chose how many to show first; following reads whole windows.
      LogFilter following = new LogFilter(filter.workerId(), filter.taskId(), filter.minimumLevel(), null, null,
          filter.grep(), (int) (5 * FOLLOW_REREAD_IDS));
      if (follow) {
        // What was stored before following began counts as seen, printed or left out by --limit.
        store.logsAfter(Math.max(0, lastId - FOLLOW_REREAD_IDS), following).forEach(r -> printed.add(r.id()));
      }
      while (follow && !Thread.currentThread().isInterrupted()) {
        Thread.sleep(FOLLOW_POLL.toMillis());
        for (StoredRecord record : store.logsAfter(Math.max(0, lastId - FOLLOW_REREAD_IDS), following)) {
          if (printed.add(record.id())) {
            print(out, record);
            lastId = Math.max(lastId, record.id());
          }
        }
        while (printed.size() > 10 * FOLLOW_REREAD_IDS) {
          printed.remove(printed.iterator().next());
        }
        out.flush();
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return 0;
  }

  private LogFilter filter() {
    String minimum = level == null ? null : level.trim().toUpperCase(Locale.ROOT);
    if ("WARN".equals(minimum)) {
      minimum = "WARNING";
    }
    try {
      return new LogFilter(worker, task, minimum, since, until, grep, limit);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private void print(PrintWriter out, StoredRecord record) {
    out.println(json ? StoreJson.record(record) : RecordText.line(record));
  }
}
