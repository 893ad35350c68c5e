package dev.heartlog.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The load generators' statements on the server they run against: plain JDBC, one connection each. */
final class BenchDatabase {

  private BenchDatabase() {}

  /** An empty database {@code load_<name>} on the server {@code admin} reaches. */
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

  /**
   * The load generators' embedded servers keep the test settings of zonky's builder unless told:
   * {@code fsync} off (the server's {@code -F}) and {@code synchronous_commit} off, so a commit
   * never waits for the disk. With {@code -Dheartlog.bench.durable=true} they run as heartlog's
   * embedded store and a production server do, with both on.
   */
  static EmbeddedPostgres.Builder durableIfAsked(EmbeddedPostgres.Builder server) {
    if (Boolean.getBoolean("heartlog.bench.durable")) {
      server.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
    }
    return server;
  }

  /** What the server does about the disk, for a run's first line. */
  static String durability(String admin) throws SQLException {
    return "fsync " + scalar(admin, "SHOW fsync") + ", synchronous_commit " + scalar(admin, "SHOW synchronous_commit");
  }

  /**
   * QueryLoad's store, started on the data QueryLoad filled and keeps in {@code
   * java.io.tmpdir/heartlog-queryload}, for the load generators that read it.
   */
  static EmbeddedPostgres queryLoadServer() throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(Path.of(System.getProperty("java.io.tmpdir"), "heartlog-queryload"))
        .setCleanDataDirectory(false)
        .setServerConfig("shared_buffers", "1GB")
        .start();
  }

  /** A pool as {@code heartlog serve}'s: a few connections, each query planned with its values. */
  static HikariDataSource servePool(String url) {
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(url);
    pool.setMaximumPoolSize(4);
    pool.setConnectionInitSql("SET plan_cache_mode = force_custom_plan");
    return new HikariDataSource(pool);
  }

  static void execute(String url, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /** The first column of the first row {@code sql} answers, as text. */
  static String scalar(String url, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      return single(statement, sql);
    }
  }

  /** The first column of the first row {@code sql} answers on this statement's connection. */
  static String single(Statement statement, String sql) throws SQLException {
    try (ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  static String resource(String name) throws IOException {
    try (InputStream in = BenchDatabase.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
