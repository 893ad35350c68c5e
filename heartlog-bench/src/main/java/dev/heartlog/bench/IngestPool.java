package dev.heartlog.bench;

/**
 * Prepares an existing, empty database the way {@link IngestLoad}'s pgbench client prepares each
 * of its own, so that single calls of the ingest function can be measured outside a load run
 * ({@code heartlog-bench/backend-cpu.sh}, or a server under {@code valgrind --tool=callgrind}):
 * heartlog's schema, 1,000 workers, the pool table {@code bench_batches} of batches of 100
 * records (each with the problem counts the agent would send) and the sequence {@code
 * bench_batch_seq}. Copy the result with {@code CREATE DATABASE ... TEMPLATE} to give every
 * measured variant a fresh database.
 *
 * <p>The workers' problem counts are set as a fleet that has been running has them, in the
 * batches' period, so that every call adds to them by the usual path. On their first heartbeat
 * they would take the first-heartbeat path, and with about 1,000 workers that would be a third
 * to a half of a measurement of a few thousand calls.
 *
 * <p>Usage: {@code java -cp heartlog-bench/target/benchmarks.jar dev.heartlog.bench.IngestPool
 * <jdbc-url> [batches=3000]}; the URL must name its user, for example {@code
 * jdbc:postgresql://localhost:5432/ingest?user=postgres}.
 */
final class IngestPool {

  private IngestPool() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: IngestPool <jdbc-url> [batches=3000]");
      System.exit(2);
    }
    String url = args[0];
    int batches = args.length > 1 ? Integer.parseInt(args[1]) : 3_000;
    IngestVariants.prepare(url, "heartlog");
    PgbenchClient.prepare(url, "heartlog", batches);
    // The period most batches count their problems in (building the pool may cross into the next).
    String period = BenchDatabase.scalar(url, "SELECT (metadata::jsonb -> 'problem_counts' -> 0 ->> 0)::bigint AS p "
        + "FROM bench_batches GROUP BY p ORDER BY count(*) DESC LIMIT 1");
    BenchDatabase.scalar(url, "WITH counted AS (UPDATE workers SET "
        + "problem_errors = ARRAY[" + period + ", 0] || array_fill(0::bigint, ARRAY[12]), "
        + "problem_warnings = ARRAY[" + period + ", 0] || array_fill(0::bigint, ARRAY[12]) RETURNING 1) "
        + "SELECT count(*) FROM counted");
    System.out.printf("%s: heartlog's schema, %s workers (problem counts in period %s), %s batches in bench_batches%n",
        url.replaceAll("password=[^&]*", "password=..."),
        BenchDatabase.scalar(url, "SELECT count(*) FROM workers"), period,
        BenchDatabase.scalar(url, "SELECT count(*) FROM bench_batches"));
  }
}
