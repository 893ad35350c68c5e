package dev.heartlog.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * A primary PostgreSQL with heartlog's schema and a hot standby streaming from it: a read
 * replica, as Supabase, RDS and Cloud SQL offer them. Both are embedded servers of their own,
 * the standby made from a copy of the primary's data directory taken while it was stopped.
 */
public final class TestStandby implements AutoCloseable {

  private final EmbeddedPostgres primary;
  private final EmbeddedPostgres standby;
  private final Path folder;

  private TestStandby(EmbeddedPostgres primary, EmbeddedPostgres standby, Path folder) {
    this.primary = primary;
    this.standby = standby;
    this.folder = folder;
  }

  /** Starts both, the primary migrated, and waits until the standby streams from it. */
  public static TestStandby start() throws IOException, SQLException, InterruptedException {
    Path folder = Files.createTempDirectory("heartlog-standby");
    Path primaryData = folder.resolve("primary");
    Path standbyData = folder.resolve("standby");
    int port;
    try (EmbeddedPostgres first = EmbeddedPostgres.builder().setDataDirectory(primaryData).setCleanDataDirectory(false).start()) {
      port = first.getPort();
      Store.open(url(first.getPort()), null, null).migrate();
    }
    copy(primaryData, standbyData);
    Files.deleteIfExists(standbyData.resolve("postmaster.pid"));
    // PostgreSQL starts only on a data directory no one else may read.
    Files.setPosixFilePermissions(standbyData, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    Files.writeString(standbyData.resolve("standby.signal"), "");
    Files.writeString(standbyData.resolve("postgresql.auto.conf"),
        "primary_conninfo = 'host=localhost port=" + port + " user=postgres'\n");
    EmbeddedPostgres primary = EmbeddedPostgres.builder().setDataDirectory(primaryData).setCleanDataDirectory(false)
        .setPort(port).start();
    EmbeddedPostgres standby = EmbeddedPostgres.builder().setDataDirectory(standbyData).setCleanDataDirectory(false).start();
    TestStandby pair = new TestStandby(primary, standby, folder);
    pair.awaitStreaming();
    return pair;
  }

  /** The primary's JDBC URL: heartbeats go here. */
  public String primaryUrl() {
    return url(primary.getPort());
  }

  /** The standby's JDBC URL: read-only, in recovery. */
  public String standbyUrl() {
    return url(standby.getPort());
  }

  /** Waits until the standby has replayed everything the primary has written so far. */
  public void awaitReplayed() throws SQLException, InterruptedException {
    String written;
    try (Connection connection = DriverManager.getConnection(primaryUrl()); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
      rs.next();
      written = rs.getString(1);
    }
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (true) {
      try (Connection connection = DriverManager.getConnection(standbyUrl()); Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery("SELECT pg_last_wal_replay_lsn() >= '" + written + "'::pg_lsn")) {
        rs.next();
        if (rs.getBoolean(1)) {
          return;
        }
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("the standby did not replay the primary's WAL up to " + written + " in 30 s");
      }
      Thread.sleep(50);
    }
  }

  private void awaitStreaming() throws SQLException, InterruptedException {
    try (Connection connection = DriverManager.getConnection(standbyUrl()); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT pg_is_in_recovery()")) {
      rs.next();
      if (!rs.getBoolean(1)) {
        throw new IllegalStateException("the standby is not in recovery");
      }
    }
    TestDatabase.execute(primaryUrl(), "CREATE TABLE standby_check (id int)");
    awaitReplayed();
  }

  private static String url(int port) {
    return "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path source : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }

  @Override
  public void close() {
    try {
      standby.close();
      primary.close();
      try (Stream<Path> files = Files.walk(folder)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
