package dev.heartlog.cli;

import dev.heartlog.store.NearNames;
import dev.heartlog.store.StoreJson;
import dev.heartlog.store.WorkerHealth;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "workers",
    description = "Lists every worker with its health, heartbeat age, VRAM, current task and last hour's errors and warnings.",
    mixinStandardHelpOptions = true)
final class WorkersCommand implements Callable<Integer> {

  private static final String ROW = "%-24s %-8s %-12s %-20s %-38s %6s %8s%n";
  private static final int NOTES_SHOWN = 10;
  /** The most of a worker's status the list shows, as the viewer's Fleet page. */
  static final int STATUS_CHARS = 40;
  /** How many statuses of the workers' own the summary names; the rest it adds up. */
  static final int OTHER_STATUSES_SHOWN = 5;

  @Spec CommandSpec spec;
  @Mixin StoreOptions storeOptions;

  @Option(names = "--stale-after", paramLabel = "DURATION", defaultValue = "60s",
      description = "An active worker silent this long is shown as stale (default ${DEFAULT-VALUE}).")
  String staleAfter;

  @Option(names = "--health", split = ",", paramLabel = "HEALTH",
      description = "Only the workers of this health: active, stale, stopped, crashed (or another status workers "
          + "send); several with commas (--health stale,crashed).")
  List<String> healths = List.of();

  @Option(names = "--json", description = "The workers as a JSON array.")
  boolean json;

  /** The healths of a worker that sends the statuses heartlog's agents send. */
  static final List<String> HEALTHS = List.of("active", "stale", "stopped", "crashed");

  @Override
  public Integer call() {
    Duration staleAfterTime = DurationOption.positive(spec, "--stale-after", staleAfter);
    List<String> wanted = healths.stream().map(String::strip).filter(h -> !h.isEmpty()).toList();
    if (!healths.isEmpty() && wanted.isEmpty()) {   // --health "$HEALTH" of a variable never set
      throw new ParameterException(spec.commandLine(), "--health is blank: give " + String.join(", ", HEALTHS)
          + " (or another status workers send)");
    }
    List<WorkerHealth> all;
    try (StoreOptions.Opened opened = storeOptions.open()) {
      all = opened.store().workers(staleAfterTime);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<WorkerHealth> workers = WorkerHealth.withHealth(all, wanted);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(StoreJson.workers(workers));
      return 0;
    }
    if (workers.isEmpty()) {
      out.println(wanted.isEmpty()
          ? "No workers yet: none has sent a heartbeat to this store."
          : "No worker is " + String.join(" or ", wanted) + "." + nearHealths(wanted, all));
      return 0;
    }
    out.printf(ROW, "WORKER", "HEALTH", "HEARTBEAT", "VRAM", "TASK", "ERRORS", "WARNINGS");
    Map<String, Integer> byHealth = new TreeMap<>();
    for (WorkerHealth w : workers) {
      out.printf(ROW, RecordText.printable(w.id()), shownHealth(w.health()), RecordText.age(w.heartbeatAgeSeconds()),
          RecordText.vram(w.vramUsedMb(), w.vramTotalMb()),
          w.currentTaskId() == null ? "-" : RecordText.printable(w.currentTaskId()), w.errorsLastHour(), w.warningsLastHour());
      byHealth.merge(shownHealth(w.health()), 1, Integer::sum);
    }
    printSkewedClocks(out, workers);
    printRefusedRows(out, workers);
    printSharedIds(out, workers);
    printGpuProblems(out, workers);
    // Below a long list, what it adds up to: "1,204 workers: 1,180 active, 3 crashed, 21 stale".
    out.printf(Locale.ROOT, "%n%s: %s%n", RecordText.count(workers.size(), "worker"), healthCounts(byHealth));
    printRunningVram(out, workers);
    return 0;
  }

  /**
   * How many workers have each health, by name: heartlog's healths (and {@code unknown}) always,
   * and of the statuses workers send of their own, the {@value #OTHER_STATUSES_SHOWN} most
   * common; the rest added up. A fleet whose workers put their task in their status ("rendering
   * job 4711") made a summary of one entry per worker.
   */
  static String healthCounts(Map<String, Integer> byHealth) {
    List<String> others = byHealth.keySet().stream().filter(h -> !HEALTHS.contains(h) && !h.equals("unknown"))
        .sorted(Comparator.comparing((String h) -> -byHealth.get(h)).thenComparing(Comparator.naturalOrder())).toList();
    // One more is named rather than added up: "and 1 worker of 1 other status" would say less.
    int named = others.size() <= OTHER_STATUSES_SHOWN + 1 ? others.size() : OTHER_STATUSES_SHOWN;
    Set<String> left = Set.copyOf(others.subList(named, others.size()));
    String shown = byHealth.entrySet().stream().filter(e -> !left.contains(e.getKey()))
        .map(e -> String.format(Locale.ROOT, "%,d %s", e.getValue(), e.getKey())).collect(Collectors.joining(", "));
    if (left.isEmpty()) {
      return shown;
    }
    int workers = left.stream().mapToInt(byHealth::get).sum();
    return shown + String.format(Locale.ROOT, ", and %s of %,d other statuses (--json: health)",
        RecordText.count(workers, "worker"), left.size());
  }

  /**
   * A worker's health as the list shows it: a status of the worker's own (free text, up to the
   * 200 characters the store keeps) cut to {@value #STATUS_CHARS} with "…", so that one worker's
   * error message sent as its status does not run its line and the summary's across the
   * terminal; whole in {@code --json} and on {@code heartlog worker}'s page.
   */
  static String shownHealth(String health) {
    String shown = RecordText.printable(health);
    return shown.length() <= STATUS_CHARS ? shown : shown.substring(0, STATUS_CHARS - 1) + "…";
  }

  /**
   * How full the GPUs of the running workers are, from what each reported last: "GPU memory of
   * the 12 running workers: 412,317 of 978,708 MiB used (42%)". A stopped, crashed or stale
   * worker holds none now, whatever it reported; nothing is said where no running worker
   * reported any.
   */
  private static void printRunningVram(PrintWriter out, List<WorkerHealth> workers) {
    List<WorkerHealth> running = workers.stream().filter(WorkerHealth::running).filter(w -> w.vramTotalMb() != null).toList();
    long total = running.stream().mapToLong(WorkerHealth::vramTotalMb).sum();
    if (total <= 0) {
      return;
    }
    long used = running.stream().mapToLong(w -> w.vramUsedMb() == null ? 0 : w.vramUsedMb()).sum();
    out.printf(Locale.ROOT, "GPU memory of the %s: %,d of %,d MiB used (%d%%)%n",
        running.size() == 1 ? "running worker" : String.format(Locale.ROOT, "%,d running workers", running.size()),
        used, total, Math.round(100.0 * used / total));
  }

  /**
   * The workers whose row the orchestrator's {@code workers} table refused at their latest
   * heartbeats (a status its enum does not list; a worker it never registered, listed only
   * because of this), with the database's reason. Their records are stored.
   */
  private static void printRefusedRows(PrintWriter out, List<WorkerHealth> workers) {
    List<WorkerHealth> refused = workers.stream().filter(w -> w.workerRowError() != null).toList();
    if (refused.isEmpty()) {
      return;
    }
    out.printf(Locale.ROOT, "%n%s refused by the orchestrator's table; %s records are stored:%n",
        refused.size() == 1 ? "1 worker's row in workers was"
            : String.format(Locale.ROOT, "%,d workers' rows in workers were", refused.size()),
        refused.size() == 1 ? "its" : "their");
    for (WorkerHealth w : refused.subList(0, Math.min(refused.size(), NOTES_SHOWN))) {
      out.printf("  %-24s %s%n", RecordText.printable(w.id()), RecordText.printable(w.workerRowError()));
    }
    if (refused.size() > NOTES_SHOWN) {
      out.printf(Locale.ROOT, "  and %,d more (--json: worker_row_error)%n", refused.size() - NOTES_SHOWN);
    }
  }

  /**
   * What the running workers' last heartbeats said of their GPUs, where they could not read them
   * all, one line a reason, the rarest first: a driver that broke after heavy work ({@code Failed
   * to initialize NVML: Unknown Error}) comes above the workers that have no GPU ({@code
   * nvidia-smi not found}), which a fleet of CPU workers has every one of.
   */
  private static void printGpuProblems(PrintWriter out, List<WorkerHealth> workers) {
    Map<String, List<String>> byProblem = workers.stream().filter(WorkerHealth::running)
        .filter(w -> w.gpuProblem() != null)
        .collect(Collectors.groupingBy(WorkerHealth::gpuProblem, TreeMap::new,
            Collectors.mapping(WorkerHealth::id, Collectors.toList())));
    if (byProblem.isEmpty()) {
      return;
    }
    out.printf("%nWhat the running workers' last heartbeats said of their GPUs (--json: gpu_problem):%n");
    List<Map.Entry<String, List<String>>> rarestFirst = byProblem.entrySet().stream()
        .sorted(Comparator.comparingInt(e -> e.getValue().size())).toList();
    for (Map.Entry<String, List<String>> problem : rarestFirst.subList(0, Math.min(rarestFirst.size(), NOTES_SHOWN))) {
      List<String> ids = problem.getValue();
      String named = ids.stream().limit(3).map(RecordText::printable).collect(Collectors.joining(", "))
          + (ids.size() > 3 ? String.format(Locale.ROOT, " and %,d more", ids.size() - 3) : "");
      out.printf("  %s: %s%n", named, RecordText.printable(problem.getKey()));
    }
    if (rarestFirst.size() > NOTES_SHOWN) {
      out.printf(Locale.ROOT, "  and %,d more reasons%n", rarestFirst.size() - NOTES_SHOWN);
    }
  }

  /**
   * The worker ids several processes send heartbeats as at once: a Deployment's replicas given
   * one id, a worker started twice. Their row mixes the processes' statuses, tasks and VRAM, and
   * the fleet counts one worker for them.
   */
  private static void printSharedIds(PrintWriter out, List<WorkerHealth> workers) {
    List<WorkerHealth> shared = workers.stream().filter(w -> w.sharedIdAt() != null).toList();
    if (shared.isEmpty()) {
      return;
    }
    out.printf(Locale.ROOT, "%n%s sent by several processes at once (give each process its own worker id; "
            + "%s status, task and VRAM are whichever sent last):%n",
        shared.size() == 1 ? "1 worker id is" : String.format(Locale.ROOT, "%,d worker ids are", shared.size()),
        shared.size() == 1 ? "its" : "their");
    for (WorkerHealth w : shared.subList(0, Math.min(shared.size(), NOTES_SHOWN))) {
      out.printf("  %-24s last seen shared %s%n", RecordText.printable(w.id()), RecordText.timestamp(w.sharedIdAt()));
    }
    if (shared.size() > NOTES_SHOWN) {
      out.printf(Locale.ROOT, "  and %,d more (--json: shared_id_at)%n", shared.size() - NOTES_SHOWN);
    }
  }

  /**
   * The workers whose clock is off the store's, furthest first. Their records carry their own
   * times, so a clock hours behind puts this minute's records hours back, where {@code --since
   * 1h} does not look; the counts above allow for it, a listing of records cannot.
   */
  private static void printSkewedClocks(PrintWriter out, List<WorkerHealth> workers) {
    List<WorkerHealth> skewed = workers.stream().filter(WorkerHealth::clockSkewed)
        .sorted(Comparator.comparingLong((WorkerHealth w) -> Math.abs(w.clockSkewMs())).reversed()).toList();
    if (skewed.isEmpty()) {
      return;
    }
    out.printf(Locale.ROOT, "%n%s clock is off the store's; %s records carry %s own times, which --since reads:%n",
        skewed.size() == 1 ? "1 worker's" : String.format(Locale.ROOT, "%,d workers'", skewed.size()),
        skewed.size() == 1 ? "its" : "their", skewed.size() == 1 ? "its" : "their");
    for (WorkerHealth w : skewed.subList(0, Math.min(skewed.size(), NOTES_SHOWN))) {
      out.printf("  %-24s %s%n", RecordText.printable(w.id()), RecordText.skew(w.clockSkewMs()));
    }
    if (skewed.size() > NOTES_SHOWN) {
      out.printf(Locale.ROOT, "  and %,d more (--json: clock_skew_ms)%n", skewed.size() - NOTES_SHOWN);
    }
  }

  /**
   * The healths nearest those asked for that no worker has and heartlog does not name ({@code
   * --health stail}: stale), among heartlog's and the fleet's: " Did you mean stale?", or nothing.
   * Workers may send statuses of their own, so an unknown one is not refused.
   */
  private static String nearHealths(List<String> wanted, List<WorkerHealth> all) {
    Set<String> known = new TreeSet<>(HEALTHS);
    all.forEach(w -> known.add(w.health().toLowerCase(Locale.ROOT)));
    List<String> near = wanted.stream()
        .filter(h -> !known.contains(h.toLowerCase(Locale.ROOT)))
        .flatMap(h -> NearNames.nearestIds(h, known).stream())
        .distinct()
        .map(RecordText::printable)
        .toList();
    return near.isEmpty() ? "" : " Did you mean " + String.join(" or ", near) + "?";
  }
}
