package dev.heartlog.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.heartlog.store.LogFilter;
import dev.heartlog.store.Store;
import dev.heartlog.store.TaskFilter;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * What a metadata filter ({@code heartlog logs --meta key=value}) costs on QueryLoad's store (10
 * million records of 48 hours, run QueryLoad first), against the filter nearest to it that no
 * index serves either, the component, in turns in the same run: a value no record has, so that
 * both read the same rows, over the fleet's 48 hours and over one worker's; the fleet's newest
 * 100 records with a common value against no filter at all; and the task list of the data's last
 * hour with a metadata filter against none.
 *
 * <p>Usage: {@code java -cp heartlog-bench/target/benchmarks.jar
 * dev.heartlog.bench.MetadataFilterLoad [samples=10]}.
 */
public final class MetadataFilterLoad {

  private MetadataFilterLoad() {}

  public static void main(String[] args) throws Exception {
    int samples = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    try (EmbeddedPostgres server = BenchDatabase.queryLoadServer()) {
      String url = "jdbc:postgresql://localhost:" + server.getPort() + "/postgres?user=postgres";
      try (HikariDataSource pool = BenchDatabase.servePool(url)) {
        Store store = Store.open(pool, url);
        Instant end = Instant.parse(BenchDatabase.scalar(url,
            "SELECT to_char(max(timestamp) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM system_logs"))
            .plusMillis(1);
        System.out.println("records end at " + end + "; " + samples + " samples of each, in turns");
        System.out.println();
        System.out.println("| query | p50 | p95 | rows |");
        System.out.println("|---|---|---|---|");
        inTurns(samples,
            "the fleet's newest 100, no filter", () -> store.logs(filter(null, null, Map.of(), end)).size(),
            "the fleet's newest 100, `--meta thread=render-3` (1 record in 8)",
            () -> store.logs(filter(null, null, Map.of("thread", "render-3"), end)).size());
        // A worker at random for each pair, the same for both: the first read brings its pages in
        // for the second, and each query is first in every other pair.
        String[] worker = {"gpu-0"};
        ThreadLocalRandom random = ThreadLocalRandom.current();
        inTurns(samples, () -> worker[0] = "gpu-" + random.nextInt(1_000),
            "a worker's 48 hours, a component no record has",
            () -> store.logs(filter(worker[0], "no.such.component", Map.of(), end)).size(),
            "a worker's 48 hours, a metadata value no record has",
            () -> store.logs(filter(worker[0], null, Map.of("thread", "no-such-thread"), end)).size());
        inTurns(samples,
            "the fleet's 48 hours, a component no record has",
            () -> store.logs(filter(null, "no.such.component", Map.of(), end)).size(),
            "the fleet's 48 hours, a metadata value no record has",
            () -> store.logs(filter(null, null, Map.of("thread", "no-such-thread"), end)).size());
        // The task list of the data's last hour (`heartlog tasks --meta`, the Tasks page's field).
        Instant hour = end.minus(java.time.Duration.ofHours(1));
        inTurns(samples,
            "the hour's 50 most recently active tasks, no filter",
            () -> store.tasks(new TaskFilter(null, hour, end, false, Map.of(), 50)).size(),
            "the same, `--meta thread=render-3` (the tasks of 1 worker in 8)",
            () -> store.tasks(new TaskFilter(null, hour, end, false, Map.of("thread", "render-3"), 50)).size());
        inTurns(samples,
            "the hour's 50 most recently active tasks, no filter",
            () -> store.tasks(new TaskFilter(null, hour, end, false, Map.of(), 50)).size(),
            "the same, `--meta lineno=4999` (one worker's tasks have such records)",
            () -> store.tasks(new TaskFilter(null, hour, end, false, Map.of("lineno", "4999"), 50)).size());
        inTurns(samples,
            "the hour's failed tasks (`--failed`), no filter",
            () -> store.tasks(new TaskFilter(null, hour, end, true, Map.of(), 50)).size(),
            "the same, `--meta thread=render-3`",
            () -> store.tasks(new TaskFilter(null, hour, end, true, Map.of("thread", "render-3"), 50)).size());
        inTurns(samples,
            "the fleet's 48 hours, a metadata number no record has (`lineno=5000`)",
            () -> store.logs(filter(null, null, Map.of("lineno", "5000"), end)).size(),
            "the fleet's 48 hours, a metadata value no record has",
            () -> store.logs(filter(null, null, Map.of("thread", "no-such-thread"), end)).size());
      }
    }
  }

  private static LogFilter filter(String worker, String component, Map<String, String> metadata, Instant end) {
    return new LogFilter(worker, null, null, null, end, null, component, metadata, 100);
  }

  private static void inTurns(int samples, String nameA, Supplier<Integer> a, String nameB, Supplier<Integer> b) {
    inTurns(samples, () -> { }, nameA, a, nameB, b);
  }

  /** Two queries, one warm-up each, then timed in turns, each first in every other pair, after {@code beforeEachPair}. */
  private static void inTurns(int samples, Runnable beforeEachPair, String nameA, Supplier<Integer> a,
      String nameB, Supplier<Integer> b) {
    int rowsA = a.get();
    int rowsB = b.get();
    List<Long> nanosA = new ArrayList<>();
    List<Long> nanosB = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      beforeEachPair.run();
      boolean aFirst = i % 2 == 0;
      for (Supplier<Integer> query : aFirst ? List.of(a, b) : List.of(b, a)) {
        long start = System.nanoTime();
        query.get();
        (query == a ? nanosA : nanosB).add(System.nanoTime() - start);
      }
    }
    row(nameA, nanosA, rowsA);
    row(nameB, nanosB, rowsB);
    System.out.printf(Locale.ROOT, "| ratio of the p50s, second / first | %.2f | | |%n", p(nanosB, 0.5) / p(nanosA, 0.5));
  }

  private static void row(String name, List<Long> nanos, int rows) {
    System.out.printf(Locale.ROOT, "| %s | %.1f ms | %.1f ms | %d |%n", name, p(nanos, 0.5) / 1e6, p(nanos, 0.95) / 1e6, rows);
  }

  private static double p(List<Long> nanos, double quantile) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * quantile)));
  }
}
