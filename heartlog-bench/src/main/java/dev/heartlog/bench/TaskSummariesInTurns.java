package dev.heartlog.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Versions of {@code task-summaries.sql} (how the task list sums up the tasks it picked) timed in
 * turns on one connection, on a database of the server {@link QueryLoad} filled, as {@link
 * ViewerPagesLoad} made it: the same tasks summed up by each version, round after round, so that
 * the machine's noise falls on all of them alike. The baseline is the version before, taken from
 * git ({@code git show REV:heartlog-store/src/main/resources/dev/heartlog/store/sql/task-summaries.sql
 * > before.sql}).
 *
 * <p>Usage: {@code java -cp heartlog-bench/target/benchmarks.jar
 * dev.heartlog.bench.TaskSummariesInTurns DATABASE TASKS_SQL ROUNDS FILE...}, where {@code
 * TASKS_SQL} answers the task ids to sum up, e.g. {@code failing_fleet_traced "SELECT 'incident-'
 * || w || '-9' FROM generate_series(0, 49) w" 30 before.sql task-summaries.sql}.
 */
public final class TaskSummariesInTurns {

  private TaskSummariesInTurns() {}

  public static void main(String[] args) throws Exception {
    String database = args[0];
    String tasksSql = args[1];
    int rounds = Integer.parseInt(args[2]);
    List<String> files = List.of(args).subList(3, args.length);
    try (EmbeddedPostgres server = BenchDatabase.queryLoadServer();
        Connection connection = DriverManager.getConnection(
            "jdbc:postgresql://localhost:" + server.getPort() + "/" + database + "?user=postgres")) {
      String[] tasks = taskIds(connection, tasksSql);
      Map<String, String> queries = new LinkedHashMap<>();
      for (String file : files) {
        // Without its comments, as the store sends it, and its named parameter bound as the store binds it.
        queries.put(file, Files.readString(Path.of(file)).replaceAll("(?m)--.*$", "").replace(":tasks::text[]", "?::text[]"));
      }
      Map<String, List<Long>> nanos = new LinkedHashMap<>();
      for (String file : files) {
        System.out.println(file + ", the first task: " + firstRow(connection, queries.get(file), tasks));
        nanos.put(file, new ArrayList<>());
      }
      for (int round = 0; round < rounds; round++) {
        for (String file : files) {
          nanos.get(file).add(time(connection, queries.get(file), tasks));
        }
      }
      System.out.printf(Locale.ROOT, "%n%d tasks, %d rounds in turns%n%n| version | p50 | p95 | ratio of the p50s to the first |%n|---|---|---|---|%n",
          tasks.length, rounds);
      double first = median(nanos.get(files.get(0)));
      for (String file : files) {
        List<Long> sorted = new ArrayList<>(nanos.get(file));
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "| %s | %.1f ms | %.1f ms | %.2f |%n", file, median(sorted) / 1e6,
            sorted.get((int) (sorted.size() * 0.95)) / 1e6, median(sorted) / first);
      }
    }
  }

  private static String[] taskIds(Connection connection, String sql) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids.toArray(String[]::new);
  }

  /** The first row a version answers, every column, so that the versions can be seen to agree. */
  private static String firstRow(Connection connection, String sql, String[] tasks) throws SQLException {
    try (PreparedStatement statement = prepare(connection, sql, tasks); ResultSet rs = statement.executeQuery()) {
      if (!rs.next()) {
        return "(no row)";
      }
      List<String> columns = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        columns.add(rs.getMetaData().getColumnName(i) + "=" + rs.getString(i));
      }
      return String.join(", ", columns);
    }
  }

  private static long time(Connection connection, String sql, String[] tasks) throws SQLException {
    try (PreparedStatement statement = prepare(connection, sql, tasks)) {
      long started = System.nanoTime();
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          rs.getString(1);
        }
      }
      return System.nanoTime() - started;
    }
  }

  private static PreparedStatement prepare(Connection connection, String sql, String[] tasks) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    statement.setArray(1, connection.createArrayOf("text", tasks));
    return statement;
  }

  private static double median(List<Long> nanos) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
