package dev.heartlog.store;

import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;

/** heartlog's Flyway migrations of one store: applying them, and reading how far behind it is. */
final class Migrations {

  private final DataSource dataSource;
  private final String displayUrl;

  Migrations(DataSource dataSource, String displayUrl) {
    this.dataSource = dataSource;
    this.displayUrl = displayUrl;
  }

  /** Applies what is not applied yet; returns how many migrations ran. */
  int migrate() {
    try {
      return flyway().migrate().migrationsExecuted;
    } catch (RuntimeException e) {
      throw new StoreException("migrating " + displayUrl + " failed: " + rootMessage(e), e);
    }
  }

  /**
   * Reads the schema history (Flyway's {@code info}, which creates nothing).
   *
   * @throws StoreException when the history cannot be read, for example by a role without the
   *     right to
   */
  SchemaStatus status() {
    try {
      MigrationInfoService info = flyway().info();
      MigrationInfo current = info.current();
      List<String> pending = Arrays.stream(info.pending()).map(Migrations::name).toList();
      boolean newer = Arrays.stream(info.all()).anyMatch(m -> m.getState().name().startsWith("FUTURE"));
      return new SchemaStatus(current == null ? null : current.getVersion().getVersion(), pending, newer);
    } catch (RuntimeException e) {
      throw new StoreException("reading the schema history of " + displayUrl + " failed: " + rootMessage(e), e);
    }
  }

  private Flyway flyway() {
    return Flyway.configure()
        .dataSource(dataSource)
        .locations(Store.MIGRATIONS)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load();
  }

  private static String name(MigrationInfo migration) {
    String prefix = migration.getVersion() == null ? "R" : "V" + migration.getVersion().getVersion();
    return prefix + " " + migration.getDescription();
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage();
  }
}
