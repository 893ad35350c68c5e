package dev.heartlog.bench;

import dev.heartlog.agent.AgentWire;
import dev.heartlog.agent.Level;
import dev.heartlog.agent.LogRecord;
import dev.heartlog.agent.RecordMetadata;
import dev.heartlog.store.Fixtures;
import dev.heartlog.store.Store;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
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

  static final int BATCH = 100;
  private static final String[] LEVELS = {"INFO", "INFO", "INFO", "INFO", "INFO", "INFO", "DEBUG", "WARNING", "INFO", "ERROR"};
  /** Messages of realistic length, as a video-generation worker logs them; FleetLoad's too. */
  private static final String[] MESSAGE_PATTERNS = {
    "Denoising step %d/30 done in 412 ms, latent 1x16x21x60x104",
    "Loaded model wan2.1-t2v-14B shard %d of 6 from /models cache",
    "VAE decode of chunk %d took 1830 ms, peak VRAM 61234 MiB",
    "Uploaded result segment %d to s3://renders/outputs/2026-11-27/",
    "Claimed task, starting generation with prompt of %d tokens"};
  /**
   * Every pattern with every number from 1 to 99, formatted once. Formatting per record with
   * {@code String.format} was a third of FleetLoad's JVM time (JFR), taken from the 2 cores the
   * store shares: the simulated application's cost, not heartlog's or the store's.
   */
  private static final String[] MESSAGES = java.util.stream.IntStream.range(0, MESSAGE_PATTERNS.length * 99)
      .mapToObj(i -> String.format(Locale.ROOT, MESSAGE_PATTERNS[i / 99], 1 + i % 99))
      .toArray(String[]::new);

  private IngestLoad() {}

  /** A message picked at random, as a worker's would vary. */
  static String message(ThreadLocalRandom random) {
    return MESSAGES[random.nextInt(MESSAGES.length)];
  }

  public static void main(String[] args) throws Exception {
    int connections = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    List<String> variants = args.length > 2 ? List.of(args[2].split(","))
        : List.of("seed", "row-loop", "heartlog", "copy", "copy-single");
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    try (EmbeddedPostgres server = EmbeddedPostgres.builder()
        .setServerConfig("max_wal_size", "4GB")
        .setServerConfig("checkpoint_timeout", "30min")
        .setServerConfig("shared_buffers", "512MB")
        .start()) {
      String admin = "jdbc:postgresql://localhost:" + server.getPort() + "/postgres?user=postgres";
      System.out.printf("PostgreSQL %s, %d connections, %d s per variant in %d rounds, batches of %d records, %s%n",
          scalar(admin, "SHOW server_version"), connections, seconds, rounds, BATCH,
          PGBENCH ? "sent by pgbench from a pool of " + POOL + " batches per variant"
              : LIVE ? "built live by the sending threads" : "built before each slice");
      List<String> urls = new ArrayList<>();
      List<PgbenchClient> pgbench = new ArrayList<>();
      for (int i = 0; i < variants.size(); i++) {
        String url = freshDatabase(admin, (i + 1) + "_" + variants.get(i).replace('-', '_'));
        prepare(url, variants.get(i));
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
    }
  }

  private static int streams(String variant, int connections) {
    return variant.equals("copy-single") ? 1 : connections;
  }

  record Result(long rows, double seconds) {
    double rowsPerSecond() {
      return rows / seconds;
    }
  }

  static void prepare(String url, String variant) throws Exception {
    if (variant.startsWith("heartlog") || variant.startsWith("copy")) {
      Store.open(url, null, null).migrate();
      if (variant.equals("heartlog-db-collation")) {
        // As before migration V6: the ids compare under the database's collation.
        execute(url, "ALTER TABLE system_logs ALTER COLUMN source_id TYPE text COLLATE \"default\", "
            + "ALTER COLUMN task_id TYPE text COLLATE \"default\"");
      }
      if (variant.equals("heartlog-no-counts")) {
        // As before migration V7: no problem counts kept for fleet health.
        execute(url, replaceAll(resource("/db/heartlog/R__ingest.sql"), Map.of(
            "SELECT r.problem_counts INTO problems", "SELECT '{}' INTO problems",
            "heartlog_add_problems(w.problem_errors, problems, 2)", "w.problem_errors",
            "heartlog_add_problems(w.problem_warnings, problems, 3)", "w.problem_warnings")));
      }
      if (variant.equals("heartlog-invoker")) {
        // As before migration V10: no login is held to its workers.
        execute(url, replaceAll(resource("/db/heartlog/R__ingest.sql"), Map.of(
            "IF current_user <> session_user AND has_table_privilege('heartlog_writers'::regclass, 'SELECT') THEN",
            "IF false THEN")));
      }
      if (variant.equals("heartlog-json")) {
        // Not a wire heartlog could take: callers that cast their batch to jsonb would no longer
        // find the function. Measured only to put a number on the parse.
        execute(url, "DROP FUNCTION func_worker_heartbeat_with_logs(text, integer, integer, jsonb, text, text, text, bigint, jsonb)");
        execute(url, replaceAll(resource("/db/heartlog/R__ingest.sql"), Map.of(
            "logs_param            jsonb   DEFAULT '[]'::jsonb", "logs_param            json    DEFAULT '[]'::json",
            "IF jsonb_typeof(logs_param) = 'array' THEN\n        record_count := jsonb_array_length(logs_param);",
            "IF json_typeof(logs_param) = 'array' THEN\n        record_count := json_array_length(logs_param);",
            "FROM jsonb_to_recordset(logs_param) AS r(", "FROM json_to_recordset(logs_param) AS r(",
            "FROM jsonb_to_recordset(logs_param) AS t(", "FROM json_to_recordset(logs_param) AS t(",
            "heartlog_insert_logs_one_by_one(worker_id_param, logs_param, session_id_param)",
            "heartlog_insert_logs_one_by_one(worker_id_param, logs_param::jsonb, session_id_param)")));
      }
      if (variant.equals("heartlog-notify-every-call")) {
        // As before the notification was limited per connection: every call notifies.
        execute(url, "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET heartlog.notify_interval_ms = 0', "
            + "current_database()); END $$");
      }
      if (variant.equals("heartlog-bare")) {
        // Measured only: the same signature, so the same calls reach it.
        execute(url, """
            CREATE OR REPLACE FUNCTION func_worker_heartbeat_with_logs(
                worker_id_param text, vram_total_mb_param integer DEFAULT NULL, vram_used_mb_param integer DEFAULT NULL,
                logs_param jsonb DEFAULT '[]'::jsonb, current_task_id_param text DEFAULT NULL,
                status_param text DEFAULT 'active', session_id_param text DEFAULT NULL,
                batch_seq_param bigint DEFAULT NULL, metadata_param jsonb DEFAULT NULL)
            RETURNS jsonb
            LANGUAGE plpgsql
            AS $$
            DECLARE
                logs_inserted integer;
            BEGIN
                INSERT INTO system_logs
                    (timestamp, level, message, source_type, source_id, task_id, metadata, session_id, seq)
                SELECT r.timestamp, r.level, r.message, 'worker', worker_id_param, r.task_id, r.metadata,
                       session_id_param, r.seq
                FROM jsonb_to_recordset(logs_param) AS r(
                    "timestamp" timestamptz, level text, message text, task_id text, metadata jsonb, seq bigint);
                GET DIAGNOSTICS logs_inserted = ROW_COUNT;
                UPDATE workers
                SET last_heartbeat = now(), vram_total_mb = vram_total_mb_param,
                    vram_used_mb = vram_used_mb_param, current_task_id = current_task_id_param
                WHERE id = worker_id_param;
                RETURN jsonb_build_object('success', true, 'logs_inserted', logs_inserted);
            END;
            $$""");
      }
      if (variant.equals("heartlog-quiet")) {
        String function = resource("/db/heartlog/R__ingest.sql")
            .replace("PERFORM pg_notify('heartlog_logs', worker_id_param);", "NULL;");
        execute(url, function);
      }
      if (variant.equals("heartlog-writers")) {
        // A store with a writer login: the function runs as its owner (README, "Database roles").
        // The load's own connections are the owner's, as for the other variants.
        execute(url, "INSERT INTO heartlog_writers VALUES ('heartlog_bench_writer', 'bench-')");
        execute(url, "SELECT heartlog_grant_roles()");
      }
    } else {
      execute(url, Fixtures.seedSchema());
      if (variant.equals("row-loop")) {
        execute(url, resource("/bench/row-loop-function.sql"));
      }
    }
    // 1,000 workers, as a fleet has; the seed's function updates rows that must exist.
    execute(url, "INSERT INTO workers (id) SELECT 'gpu-' || g FROM generate_series(1, 1000) g ON CONFLICT DO NOTHING");
  }

  /** The type the variant's function takes its batch as: the wire contract's, but for heartlog-json. */
  static String logsType(String variant) {
    return variant.equals("heartlog-json") ? "json" : "jsonb";
  }

  /** The text with each key replaced by its value; each key must be there. */
  private static String replaceAll(String text, Map<String, String> replacements) {
    for (Map.Entry<String, String> replacement : replacements.entrySet()) {
      if (!text.contains(replacement.getKey())) {
        throw new IllegalStateException("not in the function any more: " + replacement.getKey());
      }
      text = text.replace(replacement.getKey(), replacement.getValue());
    }
    return text;
  }

  /**
   * Whether batches are built before their slice (the default) or by the sending thread between
   * calls ({@code -Dheartlog.bench.generate=live}, how every run before 2026-11-28 17:10 UTC
   * built them). Built live, the generator's JSON and CSV writing took a share of the 2 cores
   * the store runs on while it was timed, each variant building its own kind of batch; a fleet
   * builds its batches on its own machines.
   */
  /**
   * {@code -Dheartlog.bench.client=pgbench}: the batches are sent by pgbench instead of JDBC
   * ({@link PgbenchClient}), from a pool of {@code -Dheartlog.bench.pool} (3,000) batches per
   * variant.
   */
  private static final boolean PGBENCH = "pgbench".equals(System.getProperty("heartlog.bench.client"));

  private static final int POOL = Integer.getInteger("heartlog.bench.pool", 3_000);

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
          List<Batch> prepared = new ArrayList<>(ahead);
          try {
            for (int b = 1; b <= ahead; b++) {
              prepared.add(build(variant, session, b));
            }
          } finally {
            ready.countDown();   // a stream that failed here must not hold the others
          }
          start.await();
          long deadline = System.nanoTime() + millis * 1_000_000L;
          long batchNumber = 0;
          while (System.nanoTime() < deadline) {
            batchNumber++;
            Batch batch;
            if (batchNumber <= prepared.size()) {
              batch = prepared.get((int) batchNumber - 1);
            } else {
              batch = build(variant, session, batchNumber);
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

  /**
   * One batch of 100 records from a worker of the 1,000, with a new task, as the variant sends
   * it: {@code logs} is the JSON array (the CSV rows for COPY), {@code metadata} the agent's
   * {@code metadata_param} (heartlog variants only).
   */
  record Batch(String worker, String task, String session, long number, String logs, String metadata) {}

  static Batch build(String variant, String session, long number) {
    Instant now = Instant.now();
    String worker = "gpu-" + (1 + ThreadLocalRandom.current().nextInt(1000));
    String task = UUID.randomUUID().toString();
    switch (variant) {
      case "heartlog", "heartlog-quiet", "heartlog-notify-every-call", "heartlog-seed-order", "heartlog-db-collation", "heartlog-uncounted",
          "heartlog-no-counts", "heartlog-json", "heartlog-bare", "heartlog-invoker", "heartlog-writers" -> {
        List<LogRecord> records = agentRecords(now, task);
        String logs = variant.equals("heartlog-seed-order") ? logsJson(now, task, true) : AgentWire.logsArray(records);
        // The agent's count of the batch's problems, which fleet health's counts take; without
        // it (heartlog-uncounted, as from a Python worker) the store counts the records itself.
        String metadata = variant.equals("heartlog-uncounted") ? null : AgentWire.problemCountsMetadata(records);
        return new Batch(worker, task, session, number, logs, metadata);
      }
      case "seed", "row-loop" -> {
        return new Batch(worker, task, session, number, logsJson(now, task, false), null);
      }
      default -> {
        return new Batch(worker, task, session, number, csv(now, worker, task, session, number), null);
      }
    }
  }

  private static void send(Connection connection, String variant, Batch batch) throws SQLException, IOException {
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
          call.setString(6, batch.metadata());
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

  /**
   * The same kind of 100 records as {@link #logsJson}, as a heartlog agent holds them; written by
   * the agent's own writer (field order, timestamp format, sequence numbers) they are what it sends.
   */
  private static List<LogRecord> agentRecords(Instant now, String task) {
    List<LogRecord> records = new ArrayList<>(BATCH);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < BATCH; i++) {
      RecordMetadata metadata = new RecordMetadata(4);
      metadata.put("logger", "wgp.generator");
      metadata.put("thread", "render-" + random.nextInt(8));
      metadata.put("component", "GENERATOR");
      metadata.put("lineno", random.nextInt(5000));
      records.add(new LogRecord(now.plusNanos(i * 3_217_000L + random.nextInt(1000) * 1000L), i + 1,
          Level.valueOf(LEVELS[random.nextInt(LEVELS.length)]), message(random), task, metadata));
    }
    return records;
  }

  /**
   * 100 records as the seed's Python worker sends them: microsecond timestamps a few ms apart,
   * ~300 bytes each, its field order; with {@code withSequence} each also gets a {@code seq}
   * after the others (close to the order heartlog's agent wrote before it took jsonb's, which
   * had {@code seq} just before {@code metadata}).
   */
  private static String logsJson(Instant now, String task, boolean withSequence) {
    StringBuilder json = new StringBuilder(BATCH * 330).append('[');
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < BATCH; i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append("{\"timestamp\":\"").append(now.plusNanos(i * 3_217_000L + random.nextInt(1000) * 1000L))
          .append("\",\"level\":\"").append(LEVELS[random.nextInt(LEVELS.length)])
          .append("\",\"message\":\"").append(message(random))
          .append("\",\"task_id\":\"").append(task)
          .append("\",\"metadata\":{\"logger\":\"wgp.generator\",\"thread\":\"render-").append(random.nextInt(8))
          .append("\",\"component\":\"GENERATOR\",\"lineno\":").append(random.nextInt(5000)).append('}');
      if (withSequence) {
        json.append(",\"seq\":").append(i + 1);
      }
      json.append('}');
    }
    return json.append(']').toString();
  }

  private static String csv(Instant now, String worker, String task, String session, long batch) {
    StringBuilder csv = new StringBuilder(BATCH * 330);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < BATCH; i++) {
      csv.append(now.plusNanos(i * 3_217_000L + random.nextInt(1000) * 1000L)).append(',')
          .append(LEVELS[random.nextInt(LEVELS.length)]).append(",\"")
          .append(message(random)).append("\",worker,")
          .append(worker).append(',').append(task).append(",\"{\"\"logger\"\":\"\"wgp.generator\"\",\"\"thread\"\":\"\"render-")
          .append(random.nextInt(8)).append("\"\",\"\"component\"\":\"\"GENERATOR\"\",\"\"lineno\"\":").append(random.nextInt(5000))
          .append("}\",").append(session).append(',').append(batch * BATCH + i).append('\n');
    }
    return csv.toString();
  }

  /** An empty database {@code load_<name>} on the server {@code admin} reaches; FleetLoad's too. */
  static String freshDatabase(String admin, String name) throws SQLException {
    execute(admin, "DROP DATABASE IF EXISTS load_" + name);
    // -Dheartlog.bench.locale=en_US.UTF-8: databases under that locale (the server's own is the
    // machine's, here C.UTF-8); the locale must be installed on the machine.
    String locale = System.getProperty("heartlog.bench.locale");
    execute(admin, "CREATE DATABASE load_" + name
        + (locale == null ? "" : " TEMPLATE template0 LOCALE '" + locale.replace("'", "") + "'"));
    return admin.replace("/postgres?", "/load_" + name + "?");
  }

  /**
   * Drops a database made by {@link #freshDatabase} once its numbers are in: left behind, its
   * millions of new rows would be vacuumed by autovacuum while the next measurement runs, on the
   * same cores. {@code FORCE} ends an autovacuum worker already in it.
   */
  static void dropDatabase(String admin, String name) throws SQLException {
    execute(admin, "DROP DATABASE IF EXISTS load_" + name + " WITH (FORCE)");
  }

  private static void execute(String url, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  static String scalar(String url, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = IngestLoad.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
