package dev.heartlog.bench;

import static dev.heartlog.bench.BenchDatabase.execute;
import static dev.heartlog.bench.BenchDatabase.scalar;
import static dev.heartlog.bench.BenchDatabase.single;
import static dev.heartlog.bench.QueryTimings.time;
import static dev.heartlog.bench.QueryTimings.timeAlternately;
import static dev.heartlog.bench.QueryTimings.timeInTurns;

import dev.heartlog.store.LogFilter;
import dev.heartlog.store.Store;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Queries at volume (issue: "Queries at volume"): fills a store with records over 48 hours from
 * 1,000 workers running 50 tasks each (50,000 tasks), generated inside PostgreSQL, then times the
 * store's own queries as the command line and the server run them, and retention: dropping a
 * day's partition against DELETE of the same rows (time and WAL bytes).
 *
 * <p>Usage: {@code java -cp heartlog-bench/target/benchmarks.jar dev.heartlog.bench.QueryLoad
 * [records=10000000] [samples=200]}.
 */
public final class QueryLoad {

  private static final int WORKERS = 1_000;
  private static final int TASKS_PER_WORKER = 50;

  private QueryLoad() {}

  public static void main(String[] args) throws Exception {
    long records = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
    int samples = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    java.nio.file.Path data = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "heartlog-queryload");
    try (EmbeddedPostgres server = EmbeddedPostgres.builder()
        .setDataDirectory(data)
        .setCleanDataDirectory(false)
        .setServerConfig("max_wal_size", "8GB")
        .setServerConfig("checkpoint_timeout", "30min")
        .setServerConfig("shared_buffers", "1GB")
        .setServerConfig("maintenance_work_mem", "512MB")
        .start()) {
      String url = "jdbc:postgresql://localhost:" + server.getPort() + "/postgres?user=postgres";
      Store.open(url, null, null).migrate();
      // Queries run over a pool, as heartlog serve runs them; a connection per query would be
      // timed otherwise.
      com.zaxxer.hikari.HikariConfig pool = new com.zaxxer.hikari.HikariConfig();
      pool.setJdbcUrl(url);
      pool.setMaximumPoolSize(4);
      pool.setConnectionInitSql("SET plan_cache_mode = force_custom_plan");   // as heartlog serve's pool
      com.zaxxer.hikari.HikariDataSource dataSource = new com.zaxxer.hikari.HikariDataSource(pool);
      Store store = Store.open(dataSource, url);
      // heartlog serve's pool behind a pooler or proxy (PoolStatements): unnamed statements only.
      com.zaxxer.hikari.HikariConfig unnamedPool = new com.zaxxer.hikari.HikariConfig();
      unnamedPool.setJdbcUrl(url);
      unnamedPool.setMaximumPoolSize(4);
      unnamedPool.addDataSourceProperty("prepareThreshold", "0");
      com.zaxxer.hikari.HikariDataSource unnamedDataSource = new com.zaxxer.hikari.HikariDataSource(unnamedPool);
      Store storeUnnamed = Store.open(unnamedDataSource, url);
      if (Long.parseLong(scalar(url, "SELECT count(*) FROM system_logs")) < records) {
        long started = System.nanoTime();
        fill(url, records);
        System.out.printf(Locale.ROOT, "filled %,d records in %.0f s%n", records, (System.nanoTime() - started) / 1e9);
      }
      // What autovacuum does to an insert-only table in time: the visibility map lets index-only
      // scans skip the heap.
      execute(url, "VACUUM (ANALYZE) system_logs");
      System.out.println("on disk: " + scalar(url, "SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid))) "
          + "FROM pg_inherits WHERE inhparent = 'system_logs'::regclass"));
      long perWorker = records / WORKERS;
      long rowsPerTask = Math.max(1, perWorker / TASKS_PER_WORKER);
      ThreadLocalRandom random = ThreadLocalRandom.current();
      System.out.println();
      System.out.println("| query | p50 | p95 | rows |");
      System.out.println("|---|---|---|---|");
      // The task timeline against its baseline, taking turns: the same, plus the query that
      // counted the workers' shares before Store.task counted them from the records it read.
      String taskWorkers = storeQuery("task-workers").replace(":task", "?");
      timeAlternately(samples,
          "task timeline (`heartlog task`)",
          i -> store.task(taskId(random.nextInt(WORKERS), random.nextInt(TASKS_PER_WORKER))),
          "task timeline with its workers counted by a second query (before)",
          i -> {
            String task = taskId(random.nextInt(WORKERS), random.nextInt(TASKS_PER_WORKER));
            store.task(task);
            readAll(dataSource, taskWorkers, task);
          });
      time("a worker's last hour (`logs --worker W --since 1h`)", samples, i -> store.logs(
          new LogFilter("gpu-" + random.nextInt(WORKERS), null, null, Instant.now().minus(Duration.ofHours(1)), null, null, 1_000)));
      time("errors of the last hour across the fleet (`logs --level ERROR --since 1h`)", samples, i -> store.logs(
          new LogFilter(null, null, "ERROR", Instant.now().minus(Duration.ofHours(1)), null, null, 1_000)));
      // Fleet health against its baseline, taking turns: the same columns with the problems
      // counted from the last hour's records, as heartlog did before migration V7.
      timeAlternately(samples,
          "fleet health (`heartlog workers`)", i -> store.workers(Store.DEFAULT_STALE_AFTER),
          "fleet health counted from the records (before V7)", i -> readAll(dataSource, FLEET_HEALTH_FROM_RECORDS));
      // The same four over the pool heartlog serve makes behind a pooler, taking turns: what sending
      // every statement unnamed (parsed each time) costs against naming it after 5 executions.
      System.out.println();
      System.out.println("| unnamed statements (heartlog serve behind a pooler), then named (direct) | p50 | p95 | rows |");
      System.out.println("|---|---|---|---|");
      timeInTurns(samples,
          "task timeline, unnamed", () -> storeUnnamed.task(taskId(random.nextInt(WORKERS), random.nextInt(TASKS_PER_WORKER))),
          "task timeline, named", () -> store.task(taskId(random.nextInt(WORKERS), random.nextInt(TASKS_PER_WORKER))));
      timeInTurns(samples,
          "a worker's last hour, unnamed", () -> storeUnnamed.logs(new LogFilter("gpu-" + random.nextInt(WORKERS), null, null,
              Instant.now().minus(Duration.ofHours(1)), null, null, 1_000)),
          "a worker's last hour, named", () -> store.logs(new LogFilter("gpu-" + random.nextInt(WORKERS), null, null,
              Instant.now().minus(Duration.ofHours(1)), null, null, 1_000)));
      timeInTurns(samples,
          "errors of the last hour across the fleet, unnamed", () -> storeUnnamed.logs(
              new LogFilter(null, null, "ERROR", Instant.now().minus(Duration.ofHours(1)), null, null, 1_000)),
          "errors of the last hour across the fleet, named", () -> store.logs(
              new LogFilter(null, null, "ERROR", Instant.now().minus(Duration.ofHours(1)), null, null, 1_000)));
      timeInTurns(samples,
          "fleet health, unnamed", () -> storeUnnamed.workers(Store.DEFAULT_STALE_AFTER),
          "fleet health, named", () -> store.workers(Store.DEFAULT_STALE_AFTER));
      unnamedDataSource.close();
      System.out.println();
      System.out.println("rows per task: " + rowsPerTask + ", per worker: " + perWorker);
      explain(url, "workers", java.util.Map.of("stale_after_s", 60L));
      explain(url, "logs", logsValues("gpu-7", null, null, Instant.now().minus(Duration.ofHours(1))));
      explain(url, "logs", logsValues(null, null, new String[] {"ERROR", "CRITICAL"}, Instant.now().minus(Duration.ofHours(1))));
      explain(url, "logs", logsValues(null, "task-7-3", null, null));
      if (args.length > 2 && args[2].equals("retention")) {
        retention(url);
      }
      dataSource.close();
    }
  }

  /** Rows of worker w = g mod 1000; each worker's rows split into 50 consecutive tasks. */
  private static void fill(String url, long records) throws SQLException {
    execute(url, "DELETE FROM system_logs");
    // Partitions for the past two days (maintenance only creates today's and later ones).
    execute(url, """
        DO $$
        DECLARE day date;
        BEGIN
          FOR offset_days IN 1 .. 2 LOOP
            day := (now() AT TIME ZONE 'UTC')::date - offset_days;
            EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF system_logs FOR VALUES FROM (%L) TO (%L)',
                'system_logs_p' || to_char(day, 'YYYYMMDD'),
                day::timestamp AT TIME ZONE 'UTC', (day + 1)::timestamp AT TIME ZONE 'UTC');
          END LOOP;
        END $$""");
    long perWorker = records / WORKERS;
    long rowsPerTask = Math.max(1, perWorker / TASKS_PER_WORKER);
    long chunk = 1_000_000;
    for (long from = 0; from < records; from += chunk) {
      long to = Math.min(records, from + chunk) - 1;
      execute(url, String.format(Locale.ROOT, """
          INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id, metadata, created_at, session_id, seq)
          SELECT t, lvl, 'Denoising step ' || (g %% 30) || '/30 done in ' || (300 + g %% 500) || ' ms, latent 1x16x21x60x104',
                 'worker', 'gpu-' || (g %% %1$d), 'task-' || (g %% %1$d) || '-' || ((g / %1$d) / %2$d),
                 jsonb_build_object('logger', 'wgp.generator', 'thread', 'render-' || (g %% 8), 'lineno', g %% 5000),
                 t + interval '150 milliseconds', 's-' || (g %% %1$d), g / %1$d
          FROM (SELECT g,
                       now() - interval '48 hours' + (g::double precision / %3$d) * interval '48 hours' AS t,
                       CASE WHEN g %% 50 = 7 THEN 'ERROR' WHEN g %% 12 = 5 THEN 'WARNING'
                            WHEN g %% 5 = 1 THEN 'DEBUG' ELSE 'INFO' END AS lvl
                FROM generate_series(%4$d::bigint, %5$d::bigint) g) s""", WORKERS, rowsPerTask, records, from, to));
    }
    execute(url, String.format(Locale.ROOT, """
        INSERT INTO workers (id, status, last_heartbeat, vram_total_mb, vram_used_mb, current_task_id)
        SELECT 'gpu-' || w, 'active', now() - (w %% 90) * interval '1 second', 81559, 20000 + w * 50,
               'task-' || w || '-%d' FROM generate_series(0, %d) w
        ON CONFLICT (id) DO NOTHING""", TASKS_PER_WORKER - 1, WORKERS - 1));
    // Heartbeats of the last 2 hours, every 20 s per worker (the task timeline reads them).
    execute(url, String.format(Locale.ROOT, """
        INSERT INTO worker_heartbeats (worker_id, received_at, status, vram_total_mb, vram_used_mb, current_task_id, records, logs_inserted)
        SELECT 'gpu-' || w, now() - b * interval '20 seconds', 'active', 81559, 20000 + (b * 37 + w) %% 40000,
               'task-' || w || '-' || (%d - 1 - b / 360), 20, 20
        FROM generate_series(0, %d) w, generate_series(0, 359) b""", TASKS_PER_WORKER, WORKERS - 1));
    // The records went in around the ingest function, so fleet health's counts (migration V7)
    // are counted from them, as `heartlog migrate` does after V7.
    execute(url, "SELECT heartlog_recount_problems()");
    execute(url, "ANALYZE");
  }

  private static java.util.Map<String, Object> logsValues(String worker, String task, String[] levels, Instant since) {
    java.util.Map<String, Object> values = new java.util.HashMap<>();
    values.put("worker", worker);
    values.put("task", task);
    values.put("levels", levels != null ? levels : LogFilter.LEVELS.toArray(String[]::new));
    values.put("since", since);
    values.put("until", null);
    values.put("grep", null);
    values.put("component", null);
    values.put("limit", 1_000);
    return values;
  }

  /** One of the store's own query files, comments left out. */
  private static String storeQuery(String query) throws java.io.IOException {
    try (java.io.InputStream in = Store.class.getResourceAsStream("sql/" + query + ".sql")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).replaceAll("(?m)--.*$", "");
    }
  }

  /** EXPLAIN (ANALYZE, BUFFERS) of one of the store's own query files with these values. */
  private static void explain(String url, String query, java.util.Map<String, Object> values) throws Exception {
    String text = storeQuery(query);
    java.util.regex.Matcher names = java.util.regex.Pattern.compile("(?<![:\\w]):([a-z_][a-z0-9_]*)").matcher(text);
    List<Object> order = new ArrayList<>();
    StringBuilder sql = new StringBuilder();
    while (names.find()) {
      order.add(values.get(names.group(1)));
      names.appendReplacement(sql, "?");
    }
    names.appendTail(sql);
    try (Connection connection = DriverManager.getConnection(url + "&options=-c%20plan_cache_mode%3Dforce_custom_plan");
        java.sql.PreparedStatement statement = connection.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
      for (int i = 0; i < order.size(); i++) {
        Object value = order.get(i);
        if (value instanceof String[] array) {
          statement.setArray(i + 1, connection.createArrayOf("text", array));
        } else if (value instanceof Instant instant) {
          statement.setObject(i + 1, instant.atOffset(java.time.ZoneOffset.UTC));
        } else {
          statement.setObject(i + 1, value);
        }
      }
      System.out.println();
      System.out.println("EXPLAIN (ANALYZE, BUFFERS) " + query + " " + values.entrySet().stream()
          .filter(e -> e.getValue() != null && !(e.getValue() instanceof String[])).map(Object::toString).toList());
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          System.out.println("    " + rs.getString(1));
        }
      }
    }
  }

  /** Fleet health as heartlog counted it before migration V7 (workers.sql of then). */
  private static final String FLEET_HEALTH_FROM_RECORDS = """
      WITH problems AS (
          SELECT source_id,
                 count(*) FILTER (WHERE level IN ('ERROR', 'CRITICAL')) AS errors,
                 count(*) FILTER (WHERE level = 'WARNING')             AS warnings
          FROM system_logs
          WHERE timestamp >= now() - interval '1 hour'
            AND level IN ('WARNING', 'ERROR', 'CRITICAL')
          GROUP BY source_id
      )
      SELECT w.id,
             heartlog_worker_health(w.status, w.last_heartbeat, make_interval(secs => 60)) AS health,
             w.last_heartbeat,
             extract(epoch FROM now() - w.last_heartbeat)::bigint AS heartbeat_age_s,
             w.vram_total_mb, w.vram_used_mb, w.current_task_id,
             coalesce(p.errors, 0) AS errors_last_hour,
             coalesce(p.warnings, 0) AS warnings_last_hour
      FROM workers w
      LEFT JOIN problems p ON p.source_id = w.id
      ORDER BY w.id""";

  /** Runs a query and reads every column of every row, as the store's own queries do. */
  private static void readAll(javax.sql.DataSource dataSource, String sql, String... parameters) {
    try (Connection connection = dataSource.getConnection();
        java.sql.PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setString(i + 1, parameters[i]);
      }
      try (ResultSet rows = statement.executeQuery()) {
        int columns = rows.getMetaData().getColumnCount();
        while (rows.next()) {
          for (int column = 1; column <= columns; column++) {
            rows.getObject(column);
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String taskId(int worker, int task) {
    return "task-" + worker + "-" + task;
  }

  private static void retention(String url) throws SQLException {
    String oldest = scalar(url, "SELECT min(c.relname) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        + "WHERE i.inhparent = 'system_logs'::regclass AND c.relname ~ '^system_logs_p\\d{8}$'");
    String rows = scalar(url, "SELECT count(*) FROM " + oldest);
    execute(url, "CREATE TABLE delete_copy (LIKE system_logs INCLUDING DEFAULTS INCLUDING INDEXES)");
    execute(url, "INSERT INTO delete_copy SELECT * FROM " + oldest);
    execute(url, "CHECKPOINT");
    long[] delete = walAndTime(url, "DELETE FROM delete_copy");
    // A retention that ends exactly where the oldest day ends drops that day's partition only.
    String dayEnd = "(to_date('" + oldest.substring("system_logs_p".length()) + "', 'YYYYMMDD') + 1)::timestamp AT TIME ZONE 'UTC'";
    long[] drop = walAndTime(url, "SELECT heartlog_drop_old_partitions(now() - " + dayEnd + ")");
    System.out.println();
    System.out.println("| retention of one day (" + rows + " rows) | time | WAL written |");
    System.out.println("|---|---|---|");
    System.out.printf(Locale.ROOT, "| DELETE ... WHERE of the same rows | %.2f s | %,d bytes |%n", delete[1] / 1e9, delete[0]);
    System.out.printf(Locale.ROOT, "| heartlog_drop_old_partitions (DROP TABLE) | %.3f s | %,d bytes |%n", drop[1] / 1e9, drop[0]);
    System.out.println("partition still there after drop: " + scalar(url, "SELECT to_regclass('" + oldest + "') IS NOT NULL"));
  }

  private static long[] walAndTime(String url, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      String before = single(statement, "SELECT pg_current_wal_insert_lsn()::text");
      long start = System.nanoTime();
      statement.execute(sql);
      long elapsed = System.nanoTime() - start;
      long bytes = Long.parseLong(single(statement, "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '" + before + "')::bigint"));
      return new long[] {bytes, elapsed};
    }
  }
}
