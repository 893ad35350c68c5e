package dev.heartlog.bench;

import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The reads of an error kind's page, through the store as the server makes them, timed in turns
 * on a database of the server {@link QueryLoad} filled (or {@link ViewerPagesLoad}'s): the list
 * of kinds (the Errors page, the baseline), one kind's workers and tasks, and the kind's newest
 * errors, 20 (the page's), 100 ({@code heartlog logs --kind}'s default), 10,000 (a page of a
 * longer listing) and the 10,000 after those. Each read runs once untimed, then once a round in
 * turn with the others.
 *
 * <p>Usage: {@code java -cp heartlog-bench/target/benchmarks.jar
 * dev.heartlog.bench.ErrorKindPageInTurns DATABASE ROUNDS KIND SINCE [UNTIL]}, the times as
 * {@code 2026-12-05T14:47:40.264497Z}.
 */
public final class ErrorKindPageInTurns {

  private ErrorKindPageInTurns() {}

  public static void main(String[] args) throws Exception {
    String database = args[0];
    int rounds = Integer.parseInt(args[1]);
    String kind = args[2];
    Instant since = Instant.parse(args[3]);
    Instant until = args.length > 4 ? Instant.parse(args[4]) : null;
    try (EmbeddedPostgres server = BenchDatabase.queryLoadServer()) {
      String url = "jdbc:postgresql://localhost:" + server.getPort() + "/" + database + "?user=postgres";
      Store store = Store.open(url, null, null);
      store.migrate();
      List<StoredRecord> firstPage = store.errorsOfKind(kind, null, null, since, until, null, 10_000);
      Long pageEnd = firstPage.isEmpty() ? null : firstPage.get(0).id();
      Map<String, Supplier<Integer>> reads = new LinkedHashMap<>();
      reads.put("the kinds (50)", () -> store.errorKinds(null, since, until, 50).kinds().size());
      reads.put("one kind's workers and tasks (100)",
          () -> store.errorKind(kind, null, since, until, 100).map(d -> d.workers().size() + d.tasks().size()).orElse(0));
      for (int limit : new int[] {20, 100, 10_000}) {
        reads.put("its newest " + limit + " errors", () -> store.errorsOfKind(kind, null, null, since, until, null, limit).size());
      }
      reads.put("the 10000 after those", () -> store.errorsOfKind(kind, null, null, since, until, pageEnd, 10_000).size());
      Map<String, List<Long>> nanos = ReadsInTurns.time(reads, rounds);
      System.out.printf(Locale.ROOT, "%n%s, kind %s, %d rounds in turns%n%n| read | p50 | p95 | ratio of the p50s to the first |%n"
          + "|---|---|---|---|%n", database, kind, rounds);
      double first = ReadsInTurns.percentile(nanos.values().iterator().next(), 0.5);
      nanos.forEach((name, times) -> System.out.printf(Locale.ROOT, "| %s | %.1f ms | %.1f ms | %.2f |%n", name,
          ReadsInTurns.percentile(times, 0.5) / 1e6, ReadsInTurns.percentile(times, 0.95) / 1e6, ReadsInTurns.percentile(times, 0.5) / first));
    }
  }
}
