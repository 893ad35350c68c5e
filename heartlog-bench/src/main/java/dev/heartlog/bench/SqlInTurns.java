package dev.heartlog.bench;

import dev.heartlog.store.Store;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Queries timed in turns on one connection, on a database of the server {@link QueryLoad} filled
 * (its own {@code postgres}, or {@link ViewerPagesLoad}'s {@code failing_fleet_traced} and {@code
 * heavy_worker}): each file a query with its parameters written in, run once untimed, then once a
 * round in turn with the others, so that the machine's noise falls on all of them alike. The
 * database is migrated first, so that heartlog's functions the queries call are this build's.
 *
 * <p>Usage: {@code java -cp heartlog-bench/target/benchmarks.jar dev.heartlog.bench.SqlInTurns
 * DATABASE ROUNDS FILE...}; a file given twice is timed twice, under each name given.
 */
public final class SqlInTurns {

  private SqlInTurns() {}

  public static void main(String[] args) throws Exception {
    String database = args[0];
    int rounds = Integer.parseInt(args[1]);
    List<String> files = List.of(args).subList(2, args.length);
    try (EmbeddedPostgres server = BenchDatabase.queryLoadServer()) {
      String url = "jdbc:postgresql://localhost:" + server.getPort() + "/" + database + "?user=postgres";
      Store.open(url, null, null).migrate();
      try (Connection connection = DriverManager.getConnection(url)) {
        Map<String, String> queries = new LinkedHashMap<>();
        Map<String, List<Long>> nanos = new LinkedHashMap<>();
        for (String file : files) {
          queries.put(file, Files.readString(Path.of(file)));
          nanos.put(file, new ArrayList<>());
          System.out.println(file + ": " + rowsOf(connection, queries.get(file)) + " rows");
        }
        for (int round = 0; round < rounds; round++) {
          for (String file : files) {
            long started = System.nanoTime();
            rowsOf(connection, queries.get(file));
            nanos.get(file).add(System.nanoTime() - started);
          }
        }
        System.out.printf(Locale.ROOT, "%n%s, %d rounds in turns%n%n| query | p50 | p95 | ratio of the p50s to the first |%n"
            + "|---|---|---|---|%n", database, rounds);
        double first = percentile(nanos.get(files.get(0)), 0.5);
        for (String file : files) {
          System.out.printf(Locale.ROOT, "| %s | %.1f ms | %.1f ms | %.2f |%n", file, percentile(nanos.get(file), 0.5) / 1e6,
              percentile(nanos.get(file), 0.95) / 1e6, percentile(nanos.get(file), 0.5) / first);
        }
      }
    }
  }

  /** Runs the query and reads every row it answers, as a client would; how many. */
  private static int rowsOf(Connection connection, String sql) throws SQLException {
    int rows = 0;
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= columns; i++) {
          rs.getString(i);
        }
        rows++;
      }
    }
    return rows;
  }

  private static double percentile(List<Long> nanos, double fraction) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * fraction)));
  }
}
