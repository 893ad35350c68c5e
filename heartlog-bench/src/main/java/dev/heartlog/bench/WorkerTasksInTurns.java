package dev.heartlog.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a worker's page pays to say what failed its recent tasks: the version of {@code
 * worker-tasks.sql} before, against this one (which also answers each task's last error's time)
 * followed by {@code worker-task-failures.sql} for its 20 latest tasks, timed in turns on one
 * connection, on a database of the server {@link QueryLoad} filled ({@link ViewerPagesLoad}'s
 * {@code heavy_worker}, whose every task has errors, is the worst case). Both read a window of the
 * worker's last hours, as the page does (an hour first, then 6). The baseline is taken from git ({@code git show
 * REV:heartlog-store/src/main/resources/dev/heartlog/store/sql/worker-tasks.sql > before.sql}).
 *
 * <p>Usage: {@code java -cp heartlog-bench/target/benchmarks.jar
 * dev.heartlog.bench.WorkerTasksInTurns DATABASE WORKER HOURS ROUNDS BEFORE_SQL WORKER_TASKS_SQL
 * FAILURES_SQL [FAILURES_BEFORE_SQL]}, e.g. {@code heavy_worker gpu-at-the-issues-rate 6 40 before.sql
 * worker-tasks.sql worker-task-failures.sql}. With {@code FAILURES_BEFORE_SQL}, a version of the
 * failures' query before is run too, in the same turns, after this one, for the same tasks.
 */
public final class WorkerTasksInTurns {

  /** How many tasks the page shows. */
  private static final int TASKS = 20;

  private WorkerTasksInTurns() {}

  public static void main(String[] args) throws Exception {
    String database = args[0];
    String worker = args[1];
    int hours = Integer.parseInt(args[2]);
    int rounds = Integer.parseInt(args[3]);
    try (EmbeddedPostgres server = BenchDatabase.queryLoadServer();
        Connection connection = DriverManager.getConnection(
            "jdbc:postgresql://localhost:" + server.getPort() + "/" + database + "?user=postgres")) {
      String newest = firstColumn(connection,
          "SELECT max(timestamp) FROM system_logs WHERE source_id = " + literal(worker)).get(0);
      String before = windowQuery(Path.of(args[4]), worker, hours, newest);
      String now = windowQuery(Path.of(args[5]), worker, hours, newest);
      String failures = Files.readString(Path.of(args[6])).replaceAll("(?m)--.*$", "");
      String failuresBefore = args.length > 7 ? Files.readString(Path.of(args[7])).replaceAll("(?m)--.*$", "") : null;
      List<Long> failuresBeforeNanos = new ArrayList<>();
      List<Long> beforeNanos = new ArrayList<>();
      List<Long> nowNanos = new ArrayList<>();
      List<Long> failuresNanos = new ArrayList<>();
      int failed = 0;
      int read = 0;
      String lastFailures = null;
      for (int round = 0; round < rounds; round++) {
        long started = System.nanoTime();
        firstColumn(connection, before);
        beforeNanos.add(System.nanoTime() - started);

        started = System.nanoTime();
        List<String[]> tasks = rows(connection, now);
        long afterTasks = System.nanoTime();
        List<String[]> latestFailed = tasks.subList(0, Math.min(TASKS, tasks.size())).stream()
            .filter(task -> task[1] != null).toList();
        failed = latestFailed.size();
        if (!latestFailed.isEmpty()) {
          lastFailures = failuresFor(failures, worker, latestFailed);
          read = firstColumn(connection, lastFailures).size();
        }
        long ended = System.nanoTime();
        nowNanos.add(ended - started);
        failuresNanos.add(ended - afterTasks);
        if (failuresBefore != null && !latestFailed.isEmpty()) {
          started = System.nanoTime();
          firstColumn(connection, failuresFor(failuresBefore, worker, latestFailed));
          failuresBeforeNanos.add(System.nanoTime() - started);
        }
      }
      System.out.printf(Locale.ROOT, "%s's last %d hours up to %s, %d rounds in turns; of its %d latest tasks, %d failed, %d failures read%n%n"
          + "| version | p50 | p95 | ratio of the p50s to the first |%n|---|---|---|---|%n",
          worker, hours, newest, rounds, TASKS, failed, read);
      double first = median(beforeNanos);
      print(args[4], beforeNanos, first);
      print(args[5] + " + " + args[6], nowNanos, first);
      print("of which " + args[6], failuresNanos, first);
      if (!failuresBeforeNanos.isEmpty()) {
        print(args[7] + ", after it, for the same tasks", failuresBeforeNanos, first);
      }
      if (lastFailures != null) {
        System.out.println();
        firstColumn(connection, "EXPLAIN (ANALYZE, BUFFERS) " + lastFailures).forEach(System.out::println);
      }
    }
  }

  /**
   * A version of worker-task-failures.sql for the {@code failed} tasks, its values written in
   * (each task's last traced error's time, {@code :traced_at}, where the version takes it).
   */
  private static String failuresFor(String sql, String worker, List<String[]> failed) {
    return sql.replace(":worker::text", literal(worker) + "::text")
        .replace(":tasks::text[]", array(failed, 0) + "::text[]")
        .replace(":failed_at::timestamptz[]", array(failed, 1) + "::timestamptz[]")
        .replace(":traced_at::timestamptz[]", array(failed, 2) + "::timestamptz[]");
  }

  /** A version of worker-tasks.sql for the worker's {@code hours} before {@code newest}, its values written in. */
  private static String windowQuery(Path file, String worker, int hours, String newest) throws Exception {
    return Files.readString(file).replaceAll("(?m)--.*$", "")
        .replace(":worker::text", literal(worker) + "::text")
        .replace(":window_s::bigint", hours * 3600 + "::bigint")
        .replace(":window_end::timestamptz", literal(newest) + "::timestamptz")
        .replace(":limit::bigint", "NULL::bigint");
  }

  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  /** Column {@code column} of the rows as an array literal, {@code '{"a","b",NULL}'}. */
  private static String array(List<String[]> rows, int column) {
    return literal(rows.stream().map(row -> row[column] == null ? "NULL" : "\"" + row[column] + "\"")
        .collect(Collectors.joining(",", "{", "}")));
  }

  /**
   * Each row's task id, its failed_at (null where the query has none) and its traced_at (null
   * where the version of worker-tasks.sql does not answer it).
   */
  private static List<String[]> rows(Connection connection, String sql) throws SQLException {
    List<String[]> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      boolean traced = false;
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        traced |= rs.getMetaData().getColumnName(i).equals("traced_at");
      }
      while (rs.next()) {
        rows.add(new String[] {rs.getString("task_id"), rs.getString("failed_at"), traced ? rs.getString("traced_at") : null});
      }
    }
    return rows;
  }

  private static List<String> firstColumn(Connection connection, String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values;
  }

  private static void print(String version, List<Long> nanos, double first) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    System.out.printf(Locale.ROOT, "| %s | %.2f ms | %.2f ms | %.2f |%n", version, median(sorted) / 1e6,
        sorted.get((int) (sorted.size() * 0.95)) / 1e6, median(sorted) / first);
  }

  private static double median(List<Long> nanos) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
