package dev.heartlog.store;

import dev.heartlog.agent.ConnectionFailure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** heartlog's Flyway migrations of one store: applying them, and reading how far behind it is. */
final class Migrations {

  /** SQLSTATEs of a user that may not create here, and of a server that may not write at all. */
  private static final List<String> MAY_NOT_CREATE = List.of("42501", "25006");

  /** PostgreSQL's refusal to change an object of another user's: "must be owner of table workers". */
  private static final Pattern MUST_BE_OWNER = Pattern.compile("must be owner of ([^\\n]+)");

  private final DataSource dataSource;
  private final String displayUrl;

  Migrations(DataSource dataSource, String displayUrl) {
    this.dataSource = dataSource;
    this.displayUrl = displayUrl;
  }

  /** Applies what is not applied yet; returns how many migrations ran. */
  int migrate() {
    try {
      refuseAtOnceWhereTheHistoryCannotBeMade();
      return flyway().migrate().migrationsExecuted;
    } catch (RuntimeException e) {
      String message = rootMessage(e);
      String hint = "42501".equals(sqlState(e)) ? permissionHint(message) : ConnectionFailure.readOnlyHint(sqlState(e));
      throw new StoreException("migrating " + displayUrl + " failed: " + message + hint, e);
    }
  }

  /**
   * Flyway tries ten times, a second apart, to create its history table before it says why it
   * cannot: a user without CREATE on the schema (every new login, from PostgreSQL 15) waited 10 s
   * for "permission denied". Where the store has no history table yet, the same CREATE TABLE is
   * tried once here, in a transaction rolled back, and the server's refusal is said at once. Any
   * other failure of the try (another migrate creating the table just now) is left to Flyway.
   */
  private void refuseAtOnceWhereTheHistoryCannotBeMade() {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        try (ResultSet history = statement.executeQuery("SELECT to_regclass('flyway_schema_history') IS NOT NULL")) {
          if (history.next() && history.getBoolean(1)) {
            return;
          }
        }
        statement.execute("CREATE TABLE flyway_schema_history (installed_rank int)");
      } catch (SQLException e) {
        if (MAY_NOT_CREATE.contains(e.getSQLState())) {
          throw new IllegalStateException(e);
        }
      } finally {
        connection.rollback();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);   // not connected: said as Flyway would have said it
    }
  }

  /**
   * Who may migrate, for a permission the server refused: the owner of an object migrate must
   * change (an orchestrator's {@code workers}, made by another user), else a user who may create
   * in the schema.
   */
  static String permissionHint(String message) {
    Matcher owner = MUST_BE_OWNER.matcher(message);
    if (owner.find()) {
      return " (migrate changes " + owner.group(1) + ", which only its owner may: run it as the user who owns it, "
          + "or a member of that user's role)";
    }
    return " (migrate needs a user who may create tables and functions in the schema: the database's owner, "
        + "or one granted CREATE on it)";
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

  /**
   * The innermost cause's message. For a PostgreSQL error, the server's words with their detail
   * and hint, without the statement position and PL/pgSQL context that mean nothing to a user.
   */
  static String rootMessage(Throwable e) {
    Throwable root = root(e);
    if (root instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
      ServerErrorMessage server = psql.getServerErrorMessage();
      return server.getSeverity() + ": " + server.getMessage()
          + (server.getDetail() == null ? "" : "\n  Detail: " + server.getDetail())
          + (server.getHint() == null ? "" : "\n  Hint: " + server.getHint());
    }
    return root.getMessage();
  }

  private static String sqlState(Throwable e) {
    return root(e) instanceof SQLException sql ? sql.getSQLState() : null;
  }

  private static Throwable root(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }
}
