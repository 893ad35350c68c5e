package dev.heartlog.cli;

import dev.heartlog.store.EmbeddedStore;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoreException;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a command finds its store: {@code --db-url} (or {@code HEARTLOG_DB_URL}), else the
 * embedded PostgreSQL whose data lives in {@code --home} (or {@code HEARTLOG_HOME}, default
 * {@code ./heartlog-data}).
 */
final class StoreOptions {

  @Option(
      names = "--db-url",
      paramLabel = "URL",
      defaultValue = "${env:HEARTLOG_DB_URL}",
      description = "PostgreSQL JDBC URL (jdbc:postgresql://host:5432/db). Default: $HEARTLOG_DB_URL, else the embedded store.")
  String url;

  @Option(names = "--db-user", paramLabel = "USER", defaultValue = "${env:HEARTLOG_DB_USER}",
      description = "Database user, unless the URL names it. Default: $HEARTLOG_DB_USER.")
  String user;

  @Option(names = "--db-password", paramLabel = "PASSWORD", defaultValue = "${env:HEARTLOG_DB_PASSWORD}",
      description = "Database password. Default: $HEARTLOG_DB_PASSWORD (prefer it: flags show in ps).")
  String password;

  @Option(names = "--home", paramLabel = "DIR", defaultValue = "${env:HEARTLOG_HOME:-heartlog-data}",
      description = "Folder of the embedded store's data. Default: $HEARTLOG_HOME, else ./heartlog-data.")
  Path home;

  /** An open store, with the embedded server behind it when there is one. */
  record Opened(Store store, EmbeddedStore embedded, String jdbcUrl) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  boolean isEmbedded() {
    return url == null || url.isBlank();
  }

  /**
   * Opens the store. The embedded store is started (or joined, if another heartlog process runs
   * it) and migrated; a configured database is used as it is.
   *
   * @throws StoreException when it cannot be reached
   */
  Opened open() {
    if (!isEmbedded()) {
      return new Opened(Store.open(url, user, password), null, url);
    }
    EmbeddedStore embedded;
    try {
      embedded = EmbeddedStore.start(home);
    } catch (IOException | RuntimeException e) {
      throw new StoreException(
          "cannot start the embedded PostgreSQL in " + home.toAbsolutePath() + ": " + e.getMessage(), e);
    }
    try {
      Store store = Store.open(embedded.jdbcUrl(), null, null);
      store.migrate();
      return new Opened(store, embedded, embedded.jdbcUrl());
    } catch (RuntimeException e) {
      closeQuietly(embedded);
      throw e;
    }
  }

  private static void closeQuietly(EmbeddedStore embedded) {
    try {
      embedded.close();
    } catch (IOException ignored) {
      // Already failing; the first error is the one to report.
    }
  }
}
