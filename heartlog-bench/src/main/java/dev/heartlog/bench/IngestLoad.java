package dev.heartlog.bench;

import static dev.heartlog.bench.BenchDatabase.execute;
import static dev.heartlog.bench.BenchDatabase.freshDatabase;
import static dev.heartlog.bench.BenchDatabase.scalar;
import static dev.heartlog.bench.IngestVariants.logsType;

import dev.heartlog.agent.AgentWire;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;

/**
 * Ingest load generator (issue: "Ingest into PostgreSQL"). Calls the ingest path as a fleet
 * does, batches of 100 records of realistic size from several connections, against one embedded
 * PostgreSQL, for each way of storing them, one after the other in the same run:
 *
 * <ul>
 *   <li>{@code heartlog}: heartlog's function (set-based insert into the partitioned table, batch
 *       dedupe by session and number, per-row isolation only for a failing batch), sent the JSON
 *       the agent's own writer produces, with the agent's count of the batch's problems in
 *       {@code metadata_param} (fleet health's counts, migration V7)
 *   <li>{@code seed}: the seed design's function, one INSERT ... SELECT FROM jsonb_array_elements
 *       into its unpartitioned table with its four indexes, sent the JSON the seed's Python worker
 *       produces (its field order, no sequence numbers)
 *   <li>{@code row-loop}: one BEGIN ... EXCEPTION block per record into the seed's table, how
 *       deployed orchestrators isolate bad rows
 *   <li>{@code copy}: COPY of the same rows into heartlog's table: the ceiling
 *   <li>{@code heartlog-seed-order} (only when named): heartlog's function sent the seed's field
 *       order (plus sequence numbers) instead of the agent's, to see what writing keys in
 *       jsonb's order saves the store
 *   <li>{@code heartlog-db-collation} (only when named): heartlog's function with the worker and
 *       task ids under the database's collation, as before migration V6
 *   <li>{@code heartlog-quiet} (only when named): heartlog's function without its {@code
 *       pg_notify} for the live tail, to see what the notification costs
 *   <li>{@code heartlog-notify-every-call} (only when named): heartlog's function with {@code
 *       heartlog.notify_interval_ms} 0, so every call notifies the live tail, as before the
 *       notification was limited to one per connection every 200 ms
 *   <li>{@code heartlog-uncounted} (only when named): heartlog's function sent no problem counts,
 *       as from a Python worker, so that it counts the batch's problems itself
 *   <li>{@code heartlog-json} (only when named): heartlog's function with {@code logs_param}
 *       of type {@code json} instead of the wire contract's {@code jsonb}, read with {@code
 *       json_to_recordset}: what the parse of the batch into {@code jsonb} costs the store
 *   <li>{@code heartlog-no-counts} (only when named): heartlog's function without fleet health's
 *       problem counts, as before migration V7, to see what keeping them costs
 *   <li>{@code heartlog-bare} (only when named): heartlog's table, called through a function with
 *       none of heartlog's guarantees: the set-based insert of the records as they come and an
 *       {@code UPDATE} of the worker's row, as the seed's function does. No batch dedupe, no
 *       isolation of bad rows, no cleaning of levels, no heartbeat row, no problem counts, no
 *       live-tail notification: what those cost, and the most any function could store into
 *       this table
 *   <li>{@code heartlog-invoker} (only when named): heartlog's function as before migration V10,
 *       without the writers' checks: what they cost
 *   <li>{@code heartlog-writers} (only when named): heartlog's function in a store with a writer
 *       login, where it runs as its owner: what that costs
 * </ul>
 *
 * <p>Usage: {@code java -cp heartlog-bench/target/benchmarks.jar dev.heartlog.bench.IngestLoad
 * [connections=4] [seconds=20] [variants=seed,row-loop,heartlog,copy,copy-single] [rounds=5]}: each
 * variant runs {@code seconds} in all, in {@code rounds} slices taking turns with the others,
 * after one uncounted warm-up slice each. Each slice's batches are built before it starts, so
 * that building them takes none of the 2 cores the store needs while it is timed; {@code
 * -Dheartlog.bench.generate=live} builds them in the timed loop instead, as runs before 2026-11-28
 * 17:10 UTC did.
 * Prints rows/s (overall and per round) and table+index bytes per million rows.
 */
public final class IngestLoad {

  static final int BATCH = IngestBatches.BATCH;
  private IngestLoad() {}

  public static void main(String[] args) throws Exception {
    int connections = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    List<String> variants = args.length > 2 ? List.of(args[2].split(","))
        : List.of("seed", "row-loop", "heartlog", "copy", "copy-single");
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    // -Dheartlog.bench.server=jdbc:postgresql://host:5432/postgres?user=postgres&password=...: a
    // server of one's own instead of the embedded one (pgbench then takes its password from
    // PGPASSWORD; COPY reads files the server's user must be able to read).
    String external = System.getProperty("heartlog.bench.server");
    try (EmbeddedPostgres server = external != null ? null : BenchDatabase.durableIfAsked(EmbeddedPostgres.builder()
        .setServerConfig("max_wal_size", "4GB")
        .setServerConfig("checkpoint_timeout", "30min")
        .setServerConfig("shared_buffers", "512MB"))
        .start()) {
      String admin = external != null ? external : "jdbc:postgresql://localhost:" + server.getPort() + "/postgres?user=postgres";
      System.out.printf("PostgreSQL %s (%s), %d connections, %d s per variant in %d rounds, batches of %d records, %s%n",
          scalar(admin, "SHOW server_version"), BenchDatabase.durability(admin), connections, seconds, rounds, BATCH,
          PGBENCH ? "sent by pgbench from a pool of " + POOL + " batches per variant"
              : LIVE ? "built live by the sending threads" : "built before each slice");
      List<String> urls = new ArrayList<>();
      List<PgbenchClient> pgbench = new ArrayList<>();
      for (int i = 0; i < variants.size(); i++) {
        String url = freshDatabase(admin, databaseName(i, variants.get(i)));
        IngestVariants.prepare(url, variants.get(i));
        urls.add(url);
        if (PGBENCH) {
          pgbench.add(PgbenchClient.prepare(url, variants.get(i), POOL));
        }
      }
      // The variants take turns, a slice each per round, every round starting with the next
      // variant, and each slice after a checkpoint: run one after the other, a later variant met
      // the checkpoint that the earlier ones' WAL brought on, and whatever else the shared
      // machine was doing just then.
      long sliceMillis = seconds * 1000L / rounds;
      // A slice of each variant first, not counted: the first slice of the run also warmed up the
      // generator's JIT and the server's caches, and was the slowest of its variant's rounds.
      for (int i = 0; i < variants.size(); i++) {
        if (PGBENCH) {
          pgbench.get(i).run(streams(variants.get(i), connections), sliceMillis);
        } else {
          run(urls.get(i), variants.get(i), streams(variants.get(i), connections), sliceMillis);
        }
      }
      Result[][] slices = new Result[variants.size()][rounds];
      for (int round = 0; round < rounds; round++) {
        for (int turn = 0; turn < variants.size(); turn++) {
          int i = (round + turn) % variants.size();
          String variant = variants.get(i);
          execute(admin, "CHECKPOINT");
          slices[i][round] = PGBENCH ? pgbench.get(i).run(streams(variant, connections), sliceMillis)
              : run(urls.get(i), variant, streams(variant, connections), sliceMillis);
        }
      }
      System.out.println();
      System.out.println("| variant | connections | rows/s | table+index bytes per million rows | rows stored |"
          + " rows/s per round |");
      System.out.println("|---|---|---|---|---|---|");
      for (int i = 0; i < variants.size(); i++) {
        String url = urls.get(i);
        long bytes = Long.parseLong(scalar(url, "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c WHERE c.oid = 'system_logs'::regclass "
            + "OR c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'system_logs'::regclass)"));
        long rows = Long.parseLong(scalar(url, "SELECT count(*) FROM system_logs"));
        long sent = 0;
        double time = 0;
        StringBuilder perRound = new StringBuilder();
        for (Result slice : slices[i]) {
          sent += slice.rows();
          time += slice.seconds();
          perRound.append(perRound.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%,.0f", slice.rowsPerSecond()));
        }
        System.out.println(String.format(Locale.ROOT, "| %-11s | %d | %,.0f | %,.0f MB | %,d | %s |",
            variants.get(i), streams(variants.get(i), connections), sent / time, bytes / 1e6 / (rows / 1e6), rows, perRound));
      }
      if (BUILT_LIVE.get() > 0) {
        System.out.printf("%,d batches ran past the prepared ones and were built live%n", BUILT_LIVE.get());
      }
      if (external != null) {   // a server of one's own outlives the run: leave it as it was
        for (int i = 0; i < variants.size(); i++) {
          BenchDatabase.dropDatabase(admin, databaseName(i, variants.get(i)));
        }
      }
    }
  }

  private static String databaseName(int index, String variant) {
    return (index + 1) + "_" + variant.replace('-', '_');
  }

  private static int streams(String variant, int connections) {
    return variant.equals("copy-single") ? 1 : connections;
  }

  record Result(long rows, double seconds) {
    double rowsPerSecond() {
      return rows / seconds;
    }
  }

  /**
   * {@code -Dheartlog.bench.client=pgbench}: the batches are sent by pgbench instead of JDBC
   * ({@link PgbenchClient}), from a pool of {@code -Dheartlog.bench.pool} (3,000) batches per
   * variant.
   */
  private static final boolean PGBENCH = "pgbench".equals(System.getProperty("heartlog.bench.client"));

  private static final int POOL = Integer.getInteger("heartlog.bench.pool", 3_000);

  /**
   * Whether batches are built before their slice (the default) or by the sending thread between
   * calls ({@code -Dheartlog.bench.generate=live}, how every run before 2026-11-28 17:10 UTC
   * built them). Built live, the generator's JSON and CSV writing took a share of the 2 cores
   * the store runs on while it was timed, each variant building its own kind of batch; a fleet
   * builds its batches on its own machines.
   */
  private static final boolean LIVE = "live".equals(System.getProperty("heartlog.bench.generate"));

  /** Batches built ahead per stream, for the next slice of each variant: 1.5 times its last. */
  private static final Map<String, Integer> AHEAD = new java.util.concurrent.ConcurrentHashMap<>();

  /** Batches that were built live because a slice ran out of prepared ones, over the whole run. */
  static final AtomicLong BUILT_LIVE = new AtomicLong();

  static Result run(String url, String variant, int streams, long millis) throws Exception {
    return run(url, variant, streams, millis, LIVE);
  }

  /** With {@code live}, every batch is built by its sending thread between calls. */
  static Result run(String url, String variant, int streams, long millis, boolean live) throws Exception {
    AtomicLong rows = new AtomicLong();
    CountDownLatch ready = new CountDownLatch(streams);
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    long[] window = new long[2];
    int ahead = live ? 0 : AHEAD.getOrDefault(variant, 2_000);
    for (int i = 0; i < streams; i++) {
      Thread thread = new Thread(() -> {
        try (Connection connection = DriverManager.getConnection(url)) {
          String session = UUID.randomUUID().toString();
          List<IngestBatches.Batch> prepared = new ArrayList<>(ahead);
          try {
            for (int b = 1; b <= ahead; b++) {
              prepared.add(IngestBatches.build(variant, session, b));
            }
          } finally {
            ready.countDown();   // a stream that failed here must not hold the others
          }
          start.await();
          long deadline = System.nanoTime() + millis * 1_000_000L;
          long batchNumber = 0;
          while (System.nanoTime() < deadline) {
            batchNumber++;
            IngestBatches.Batch batch;
            if (batchNumber <= prepared.size()) {
              batch = prepared.get((int) batchNumber - 1);
            } else {
              batch = IngestBatches.build(variant, session, batchNumber);
              if (!live) {
                BUILT_LIVE.incrementAndGet();
              }
            }
            send(connection, variant, batch);
            rows.addAndGet(BATCH);
          }
          AHEAD.merge(variant, (int) Math.max(200, batchNumber * 3 / 2), Math::max);
        } catch (Exception e) {
          throw new IllegalStateException(variant + " stream failed", e);
        }
      }, "load-" + variant + "-" + i);
      threads.add(thread);
      thread.start();
    }
    ready.await();
    window[0] = System.nanoTime();
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    window[1] = System.nanoTime();
    return new Result(rows.get(), (window[1] - window[0]) / 1e9);
  }

  private static void send(Connection connection, String variant, IngestBatches.Batch batch) throws SQLException, IOException {
    switch (variant) {
      case "heartlog", "heartlog-quiet", "heartlog-notify-every-call", "heartlog-seed-order", "heartlog-db-collation", "heartlog-uncounted",
          "heartlog-no-counts", "heartlog-json", "heartlog-bare", "heartlog-invoker", "heartlog-writers" -> {
        try (PreparedStatement call = connection.prepareStatement(
            "SELECT func_worker_heartbeat_with_logs(worker_id_param => ?, vram_total_mb_param => 81559, "
                + "vram_used_mb_param => 40000, logs_param => ?::" + logsType(variant) + ", current_task_id_param => ?, "
                + "session_id_param => ?, batch_seq_param => ?, metadata_param => ?::jsonb)")) {
          call.setString(1, batch.worker());
          call.setString(2, batch.logs());
          call.setString(3, batch.task());
          call.setString(4, batch.session());
          call.setLong(5, batch.number());
          call.setString(6, AgentWire.withClock(batch.metadata(), System.currentTimeMillis()));
          call.execute();
        }
      }
      case "seed", "row-loop" -> {
        String function = variant.equals("seed") ? "func_worker_heartbeat_with_logs" : "func_worker_heartbeat_with_logs_row_loop";
        try (PreparedStatement call = connection.prepareStatement("SELECT " + function + "(?, 81559, 40000, ?::jsonb, ?)")) {
          call.setString(1, batch.worker());
          call.setString(2, batch.logs());
          call.setString(3, batch.task());
          call.execute();
        }
      }
      default -> connection.unwrap(PGConnection.class).getCopyAPI().copyIn(
          "COPY system_logs (timestamp, level, message, source_type, source_id, task_id, metadata, session_id, seq) "
              + "FROM STDIN (FORMAT csv)", new StringReader(batch.logs()));
    }
  }
}
