package dev.heartlog.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.heartlog.store.LogFilter;
import dev.heartlog.store.Store;
import dev.heartlog.store.TaskFilter;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * What the viewer's pages read as they open, on the store {@link QueryLoad} filled (run it
 * first): the Explore page (and a bare {@code heartlog logs}), the fleet's newest records with no
 * worker, task or level; and a worker's page, its recent tasks and records.
 *
 * <p>QueryLoad's records end when it was filled, so for the Explore page "now" is taken as the
 * newest record's time ({@code until}); also timed: the same without {@code until}, and a
 * component no record has (every window read, then the whole range). For a worker's page, one of
 * QueryLoad's workers (10,000 records in 48 hours) and a worker at the rate (100 records
 * per 20 s: 864,000 in 48 hours, in tasks of 4,320), in a database of its own on the same server,
 * made at the first run and kept.
 *
 * <p>It uses only the store's public reads: the baseline is the build before, run in turn with
 * the same source ({@code java -cp <that build's benchmarks.jar> ViewerPagesLoad.java}).
 *
 * <p>Usage: {@code java -cp heartlog-bench/target/benchmarks.jar
 * dev.heartlog.bench.ViewerPagesLoad [samples=20]}.
 */
public final class ViewerPagesLoad {

  private static final String HEAVY_WORKER = "gpu-at-the-issues-rate";

  private ViewerPagesLoad() {}

  public static void main(String[] args) throws Exception {
    int samples = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    try (EmbeddedPostgres server = BenchDatabase.queryLoadServer()) {
      String url = "jdbc:postgresql://localhost:" + server.getPort() + "/postgres?user=postgres";
      try (HikariDataSource dataSource = BenchDatabase.servePool(url)) {
        Store store = Store.open(dataSource, url);
        Instant end = justAfterNewest(url);
        System.out.println("records end at " + end + "; now " + Instant.now());
        System.out.println();
        System.out.println("| the newest 100 records of the fleet (Explore) | p50 | p95 | max | samples |");
        System.out.println("|---|---|---|---|---|");
        time("until the newest record (a live fleet's now)", samples,
            () -> store.logs(new LogFilter(null, null, null, null, end, null, 100)).size());
        time("until the newest record, level INFO", samples,
            () -> store.logs(new LogFilter(null, null, "INFO", null, end, null, 100)).size());
        time("without until (the newest record " + java.time.Duration.between(end, Instant.now()).toMinutes()
            + " min ago)", samples, () -> store.logs(new LogFilter(null, null, null, null, null, null, 100)).size());
        time("until the newest record, a component no record has", samples,
            () -> store.logs(new LogFilter(null, null, null, null, end, null, "no.such.component", 100)).size());
        // The Tasks page over the data's last hour, against the query of part 3 it is nearest to
        // (the errors of the last hour across the fleet) in the same run.
        Instant hourBefore = end.minus(java.time.Duration.ofHours(1));
        System.out.println();
        System.out.println("| the Tasks page (`heartlog tasks`), the data's last hour | p50 | p95 | max | samples |");
        System.out.println("|---|---|---|---|---|");
        time("the fleet's tasks, the 200 most recently active (the page)", samples,
            () -> store.tasks(new TaskFilter(null, hourBefore, end, false, 200)).size());
        time("the fleet's tasks, the 50 most recently active (`heartlog tasks`)", samples,
            () -> store.tasks(new TaskFilter(null, hourBefore, end, false, TaskFilter.DEFAULT_LIMIT)).size());
        time("failed only (`heartlog tasks --failed`, the Fleet page's link)", samples,
            () -> store.tasks(new TaskFilter(null, hourBefore, end, true, 200)).size());
        java.util.concurrent.ThreadLocalRandom pick = java.util.concurrent.ThreadLocalRandom.current();
        time("one worker's, at random (`heartlog tasks --worker W`)", samples,
            () -> store.tasks(new TaskFilter("gpu-" + pick.nextInt(1_000), hourBefore, end, false, 200)).size());
        time("baseline: the errors of the last hour across the fleet (`logs --level ERROR`, part 3)", samples,
            () -> store.logs(new LogFilter(null, null, "ERROR", hourBefore, end, null, 1_000)).size());
        System.out.println();
        System.out.println("| a worker's page: 20 recent tasks, 100 records | p50 | p95 | max | samples |");
        System.out.println("|---|---|---|---|---|");
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        time("one of QueryLoad's workers, at random", samples,
            () -> store.worker("gpu-" + random.nextInt(1_000), 100, 20).orElseThrow().recentTasks().size());
        // The worker at the rate, in a database of its own.
        String heavyUrl = databaseOfItsOwn(server.getPort(), "heavy_worker",
            "INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id, "
                + "metadata, session_id, seq) SELECT now() - interval '48 hours' + g * interval '200 ms', "
                + "CASE WHEN g % 50 = 0 THEN 'ERROR' ELSE 'INFO' END, 'step ' || g || ' of the render', 'worker', '"
                + HEAVY_WORKER + "', 'heavy-task-' || (g / 4320), '{\"logger\": \"wgp.generator\"}', 'heavy', g "
                + "FROM generate_series(0, 863999) g",
            "INSERT INTO workers (id, status, last_heartbeat) VALUES ('" + HEAVY_WORKER + "', 'active', now())");
        // Opened as the command line opens a store: a new connection for each read.
        Store heavy = Store.open(heavyUrl, null, null);
        time("a worker at the issue's rate (864,000 records, a store of its own)", samples,
            () -> heavy.worker(HEAVY_WORKER, 100, 20).orElseThrow().recentTasks().size());
        // The task list where each task has thousands of records: summing them up is the work.
        Instant heavyEnd = justAfterNewest(heavyUrl);
        Instant heavyHour = heavyEnd.minus(java.time.Duration.ofHours(1));
        System.out.println();
        System.out.println("| the task list, tasks of 4,320 records (the worker at the issue's rate) | p50 | p95 | max | samples |");
        System.out.println("|---|---|---|---|---|");
        time("its 20 most recent tasks of 48 hours (`tasks --worker W --since 48h --limit 20`)", samples,
            () -> heavy.tasks(new TaskFilter(HEAVY_WORKER, null, null, false, 20)).size());
        time("its tasks of its last hour (`tasks --worker W`)", samples,
            () -> heavy.tasks(new TaskFilter(HEAVY_WORKER, heavyHour, heavyEnd, false, 50)).size());
        time("the store's tasks of its last hour (`tasks`, the Tasks page's way)", samples,
            () -> heavy.tasks(new TaskFilter(null, heavyHour, heavyEnd, false, 50)).size());
        incident(server.getPort(), samples);
      }
    }
  }

  /**
   * The task list in an incident: an hour in which every task of a fleet fails, and a fifth of
   * its records are errors (a retry loop's "CUDA out of memory"), where the failures are what
   * {@code heartlog tasks --failed} is run for. 1,000 workers, 2,000,000 records, 10,000 tasks of
   * 200 records, 400,000 errors, in a database of its own made at the first run and kept. Every
   * other error carries a Python traceback of 20 frames (2,025 characters), the others none, so that
   * each task's last error, as a worker's closing line, has none, and the one before it has.
   */
  private static void incident(int port, int samples) throws Exception {
    // Record g is worker g % 1000's record g / 1000, in its task (g / 1000) / 200; every fifth
    // record of a worker is an error, and every tenth one with a traceback.
    String url = databaseOfItsOwn(port, "failing_fleet_traced",
        "INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id, "
            + "metadata, session_id, seq) SELECT now() - interval '1 hour' + g * interval '1.8 ms', "
            + "CASE WHEN (g / 1000) % 5 = 0 THEN 'ERROR' ELSE 'INFO' END, "
            + "CASE WHEN (g / 1000) % 5 = 0 THEN 'CUDA out of memory, retrying' ELSE 'step ' || g / 1000 END, "
            + "'worker', 'gpu-' || g % 1000, 'incident-' || g % 1000 || '-' || (g / 1000) / 200, "
            + "CASE WHEN (g / 1000) % 10 = 0 THEN jsonb_build_object('logger', 'wgp.generator', 'exception', "
            + "'Traceback (most recent call last):' || repeat(E'\\n  File \"/opt/worker/pipeline.py\", line ' "
            + "|| g % 997 || E', in denoise\\n    latents = self.transformer(latents, t)', 20) "
            + "|| E'\\ntorch.OutOfMemoryError: CUDA out of memory. Tried to allocate ' || g % 7 || '.00 GiB') "
            + "ELSE '{\"logger\": \"wgp.generator\"}' END, 'incident-' || g % 1000, g / 1000 "
            + "FROM generate_series(0, 1999999) g");
    try (HikariDataSource dataSource = BenchDatabase.servePool(url)) {
      timeIncident(Store.open(dataSource, url), justAfterNewest(url), samples);
    }
  }

  private static void timeIncident(Store store, Instant end, int samples) {
    Instant hour = end.minus(java.time.Duration.ofHours(1));
    System.out.println();
    System.out.println("| an incident: every task fails, a fifth of the records are errors (2,000,000 in an hour) "
        + "| p50 | p95 | max | samples |");
    System.out.println("|---|---|---|---|---|");
    time("failed only, the 50 latest (`heartlog tasks --failed`)", samples,
        () -> store.tasks(new TaskFilter(null, hour, end, true, TaskFilter.DEFAULT_LIMIT)).size());
    time("failed only, the 200 latest (the Fleet page's link)", samples,
        () -> store.tasks(new TaskFilter(null, hour, end, true, 200)).size());
    time("the 50 most recently active (`heartlog tasks`)", samples,
        () -> store.tasks(new TaskFilter(null, hour, end, false, TaskFilter.DEFAULT_LIMIT)).size());
    time("baseline: the newest 1,000 errors of the hour (`logs --level ERROR`)", samples,
        () -> store.logs(new LogFilter(null, null, "ERROR", hour, end, null, 1_000)).size());
  }

  /**
   * A database of QueryLoad's server for one of these stores, migrated, and filled by {@code fill}
   * at the first run and kept: added to QueryLoad's own, its records, once deleted, would leave the
   * newest ids empty and the id index's ranges wide. Its URL.
   */
  private static String databaseOfItsOwn(int port, String name, String... fill) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres?user=postgres");
        Statement statement = connection.createStatement()) {
      ResultSet exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'");
      if (!exists.next()) {
        statement.execute("CREATE DATABASE " + name);
      }
    }
    String url = "jdbc:postgresql://localhost:" + port + "/" + name + "?user=postgres";
    Store.open(url, null, null).migrate();
    if (Long.parseLong(BenchDatabase.scalar(url, "SELECT count(*) FROM system_logs")) == 0) {
      for (String statement : fill) {
        BenchDatabase.execute(url, statement);
      }
      BenchDatabase.execute(url, "VACUUM ANALYZE system_logs");
    }
    return url;
  }

  /** A pool as heartlog serve's: each statement planned with its values. */
  /** Just after the newest record's time: "now" for a store whose records ended when it was filled. */
  private static Instant justAfterNewest(String url) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT max(timestamp) FROM system_logs")) {
      rs.next();
      return rs.getObject(1, java.time.OffsetDateTime.class).toInstant().plusMillis(1);
    }
  }

  private static void time(String name, int samples, Supplier<Integer> query) {
    int rows = query.get();   // warm-up: plans and pages
    List<Long> nanos = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      long start = System.nanoTime();
      rows = query.get();
      nanos.add(System.nanoTime() - start);
    }
    Collections.sort(nanos);
    System.out.printf(Locale.ROOT, "| %s (%d rows) | %.1f ms | %.1f ms | %.1f ms | %d |%n", name, rows,
        nanos.get(nanos.size() / 2) / 1e6, nanos.get((int) (nanos.size() * 0.95)) / 1e6,
        nanos.get(nanos.size() - 1) / 1e6, samples);
  }
}
