package dev.heartlog.bench;

import dev.heartlog.store.Store;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * A database of its own on the server {@link QueryLoad} filled, for a measurement that needs
 * records the 10M store does not hold (tasks of 100,000 records): created where it is missing,
 * migrated, then filled by the statements of a file of SQL, in how long it prints. {@link
 * SqlInTurns} then times queries on it.
 *
 * <p>Usage: {@code java -cp heartlog-bench/target/benchmarks.jar dev.heartlog.bench.FillInQueryLoad
 * DATABASE FILE}, e.g. {@code long_tasks heartlog-bench/long-tasks.sql}.
 */
public final class FillInQueryLoad {

  private FillInQueryLoad() {}

  public static void main(String[] args) throws Exception {
    String database = args[0];
    if (!database.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("a database name of lower-case letters, digits and _: " + database);
    }
    String sql = Files.readString(Path.of(args[1]));
    try (EmbeddedPostgres server = BenchDatabase.queryLoadServer()) {
      String admin = "jdbc:postgresql://localhost:" + server.getPort() + "/postgres?user=postgres";
      if (BenchDatabase.scalar(admin, "SELECT count(*) FROM pg_database WHERE datname = '" + database + "'").equals("0")) {
        BenchDatabase.execute(admin, "CREATE DATABASE " + database);
      }
      String url = admin.replace("/postgres?", "/" + database + "?");
      Store.open(url, null, null).migrate();
      long started = System.nanoTime();
      try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
        statement.execute(sql);
      }
      System.out.printf("%s: %s filled in %.1f s%n", database, args[1], (System.nanoTime() - started) / 1e9);
    }
  }
}
