package dev.heartlog.server;

import dev.heartlog.store.Store;
import dev.heartlog.store.WorkerHealth;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * The fleet as {@code GET /metrics} reports it, read with {@code heartlog workers}' query at each
 * scrape, so that it covers the workers that send through {@code serve} and those that call the
 * database themselves alike:
 *
 * <ul>
 *   <li>{@code heartlog_workers{health}}: the workers by health, at most {@value #MOST_HEALTHS}
 *       healths, the rest summed as {@code other}.
 *   <li>{@code heartlog_fleet_records_last_hour{level}}: the fleet's {@code error} (ERROR and
 *       CRITICAL) and {@code warning} records of the last hour, as fleet health counts them.
 *   <li>{@code heartlog_fleet_vram_mebibytes{state}}: the GPU memory the running workers (not
 *       stopped, crashed, stale or unknown) last reported, {@code used} and {@code total}, summed.
 *   <li>{@code heartlog_workers_flagged{reason}}: the workers {@code heartlog workers} names below
 *       its list: {@code clock_skewed} (2 s or more off the store's clock), {@code row_refused}
 *       (the orchestrator's {@code workers} table refused their row), {@code shared_id} (several
 *       processes send as that id).
 * </ul>
 *
 * While the store cannot answer, all of them are left out, not reported as an empty fleet.
 */
final class FleetMetrics {

  /** The most values of {@code heartlog_workers}'s {@code health} label, {@link #OTHER_HEALTH} among them. */
  static final int MOST_HEALTHS = 20;
  /** The health of the workers {@link #mostCommon} sums. */
  static final String OTHER_HEALTH = "other";

  private final Store store;
  private final StoreGuard guard;
  private final MultiGauge byHealth;
  private final MultiGauge recordsLastHour;
  private final MultiGauge vram;
  private final MultiGauge flagged;

  FleetMetrics(MeterRegistry registry, Store store, StoreGuard guard) {
    this.store = store;
    this.guard = guard;
    byHealth = MultiGauge.builder("heartlog.workers").description("Workers by health, read at each scrape").register(registry);
    recordsLastHour = MultiGauge.builder("heartlog.fleet.records.last.hour")
        .description("The fleet's error (ERROR and CRITICAL) and warning records of the last hour").register(registry);
    vram = MultiGauge.builder("heartlog.fleet.vram.mebibytes")
        .description("GPU memory the running workers last reported, used and total, summed").register(registry);
    flagged = MultiGauge.builder("heartlog.workers.flagged")
        .description("Workers heartlog workers names below its list, by reason").register(registry);
  }

  /** Reads the fleet again; called as a scrape begins. */
  void refresh() {
    List<WorkerHealth> workers = workers();
    if (workers == null) {
      List.of(byHealth, recordsLastHour, vram, flagged).forEach(gauge -> gauge.register(List.of(), true));
      return;
    }
    Map<String, Long> healths = workers.stream()
        .collect(Collectors.groupingBy(WorkerHealth::health, TreeMap::new, Collectors.counting()));
    byHealth.register(rows("health", healths.size() > MOST_HEALTHS ? mostCommon(healths) : healths), true);
    recordsLastHour.register(rows("level", Map.of(
        "error", sum(workers, WorkerHealth::errorsLastHour),
        "warning", sum(workers, WorkerHealth::warningsLastHour))), true);
    List<WorkerHealth> running = workers.stream().filter(WorkerHealth::running).toList();
    vram.register(rows("state", Map.of(
        "used", sum(running, w -> w.vramUsedMb() == null ? 0 : w.vramUsedMb()),
        "total", sum(running, w -> w.vramTotalMb() == null ? 0 : w.vramTotalMb()))), true);
    flagged.register(rows("reason", Map.of(
        "clock_skewed", count(workers, WorkerHealth::clockSkewed),
        "row_refused", count(workers, w -> w.workerRowError() != null),
        "shared_id", count(workers, w -> w.sharedIdAt() != null))), true);
  }

  /** The fleet; null while the store cannot answer (heartlog_database_reachable says so). */
  private List<WorkerHealth> workers() {
    if (!guard.reachable()) {
      return null;   // not a request turned away: a scraper looks every few seconds
    }
    try {
      return guard.call(() -> store.workers(Store.DEFAULT_STALE_AFTER));
    } catch (PostgrestError unavailable) {
      return null;
    }
  }

  /**
   * The {@value #MOST_HEALTHS} healths most workers have, and the rest as {@code other}: a health
   * is a status the workers send, and a fleet whose workers put free text there would otherwise
   * give Prometheus a series for every text.
   */
  private static Map<String, Long> mostCommon(Map<String, Long> counts) {
    Map<String, Long> kept = new TreeMap<>();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .forEach(health -> kept.merge(kept.size() < MOST_HEALTHS - 1 || kept.containsKey(health.getKey())
            ? health.getKey() : OTHER_HEALTH, health.getValue(), Long::sum));
    return kept;
  }

  private static List<MultiGauge.Row<?>> rows(String tag, Map<String, Long> values) {
    return values.entrySet().stream()
        .<MultiGauge.Row<?>>map(value -> MultiGauge.Row.of(Tags.of(tag, value.getKey()), value.getValue()))
        .toList();
  }

  private static long sum(List<WorkerHealth> workers, ToLongFunction<WorkerHealth> figure) {
    return workers.stream().mapToLong(figure).sum();
  }

  private static long count(List<WorkerHealth> workers, Predicate<WorkerHealth> flag) {
    return workers.stream().filter(flag).count();
  }
}
