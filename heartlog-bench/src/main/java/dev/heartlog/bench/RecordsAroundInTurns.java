package dev.heartlog.bench;

import dev.heartlog.store.LogFilter;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The records around a point ({@code heartlog logs --around}, Explore from a record's time),
 * through the store as the server reads them, timed in turns on a database of the server {@link
 * QueryLoad} filled: the baseline is the listing a user would run instead, a worker's (or the
 * fleet's) newest 41 records; then the 20 on each side of a record and of a time, of one worker
 * and of the whole fleet, a day (or {@code BACK}) back from the newest record, and around the newest record itself
 * (nothing after it: the forward windows all read, then the rest of the store). Each read runs
 * once untimed, then once a round in turn with the others.
 *
 * <p>Usage: {@code java -cp heartlog-bench/target/benchmarks.jar
 * dev.heartlog.bench.RecordsAroundInTurns DATABASE ROUNDS WORKER [BACK]}, {@code BACK} as {@code PT30M}.
 */
public final class RecordsAroundInTurns {

  private RecordsAroundInTurns() {}

  public static void main(String[] args) throws Exception {
    String database = args[0];
    int rounds = Integer.parseInt(args[1]);
    String worker = args[2];
    Duration back = args.length > 3 ? Duration.parse(args[3]) : Duration.ofDays(1);
    String then = back.equals(Duration.ofDays(1)) ? "a day back" : back.toString().substring(2).toLowerCase(Locale.ROOT) + " back";
    try (EmbeddedPostgres server = BenchDatabase.queryLoadServer()) {
      String url = "jdbc:postgresql://localhost:" + server.getPort() + "/" + database + "?user=postgres";
      Store store = Store.open(url, null, null);
      store.migrate();
      int context = LogFilter.DEFAULT_CONTEXT;
      LogFilter ofWorker = new LogFilter(worker, null, null, null, null, null, context);
      LogFilter ofFleet = new LogFilter(null, null, null, null, null, null, context);
      StoredRecord newest = store.logs(new LogFilter(null, null, null, null, null, null, 1)).get(0);
      Instant dayBack = newest.timestamp().minus(back);
      StoredRecord workersThen = store.logs(new LogFilter(worker, null, null, null, dayBack, null, 1)).get(0);
      StoredRecord fleetsThen = store.logs(new LogFilter(null, null, null, null, dayBack, null, 1)).get(0);
      Map<String, Supplier<Integer>> reads = new LinkedHashMap<>();
      reads.put("a worker's newest " + (2 * context + 1),
          () -> store.logs(new LogFilter(worker, null, null, null, null, null, 2 * context + 1)).size());
      reads.put("a worker's around its record of " + then, () -> store.logsAround(ofWorker, workersThen.id()).size());
      reads.put("a worker's around a time " + then, () -> store.logsAround(ofWorker, dayBack).size());
      reads.put("the fleet's newest " + (2 * context + 1),
          () -> store.logs(new LogFilter(null, null, null, null, null, null, 2 * context + 1)).size());
      reads.put("the fleet's around a record of " + then, () -> store.logsAround(ofFleet, fleetsThen.id()).size());
      reads.put("the fleet's around a time " + then, () -> store.logsAround(ofFleet, dayBack).size());
      reads.put("the fleet's around the newest record", () -> store.logsAround(ofFleet, newest.id()).size());
      Map<String, List<Long>> nanos = ReadsInTurns.time(reads, rounds);
      System.out.printf(Locale.ROOT, "%n%s, worker %s, %d rounds in turns%n%n| read | p50 | p95 | ratio of the p50s to "
          + "the newest of the same |%n|---|---|---|---|%n", database, worker, rounds);
      List<Long> baseline = null;
      for (Map.Entry<String, List<Long>> read : nanos.entrySet()) {
        if (read.getKey().contains("newest " + (2 * context + 1))) {
          baseline = read.getValue();
        }
        System.out.printf(Locale.ROOT, "| %s | %.1f ms | %.1f ms | %.2f |%n", read.getKey(), ReadsInTurns.percentile(read.getValue(), 0.5) / 1e6,
            ReadsInTurns.percentile(read.getValue(), 0.95) / 1e6, ReadsInTurns.percentile(read.getValue(), 0.5) / ReadsInTurns.percentile(baseline, 0.5));
      }
    }
  }
}
