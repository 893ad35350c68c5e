package dev.heartlog.store;

import dev.heartlog.agent.ConnectionFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Runs the store's {@code .sql} resources ({@link NamedSql}) with bound values, each on a
 * connection of its own from the store's data source (or all on one, {@link #onOneConnection}),
 * and turns their failures into a {@link StoreException} that names the database (without its
 * password).
 */
final class Queries {

  private static final String UNDEFINED_TABLE = "42P01";

  private final DataSource dataSource;
  private final String displayUrl;
  private final Connection held;   // the one connection of onOneConnection's queries, or null

  Queries(DataSource dataSource, String displayUrl) {
    this(dataSource, displayUrl, null);
  }

  private Queries(DataSource dataSource, String displayUrl, Connection held) {
    this.dataSource = dataSource;
    this.displayUrl = displayUrl;
    this.held = held;
  }

  /**
   * Runs {@code work}, whose queries all take one connection: a read of several steps (the
   * growing windows of {@link RecordReads}) pays for one. Without a pool ({@code heartlog logs},
   * {@code heartlog tasks}) each connection is a new one, a TLS handshake away on a remote store.
   */
  <T> T onOneConnection(Function<Queries, T> work) {
    if (held != null) {
      return work.apply(this);
    }
    return withConnection(connection -> work.apply(new Queries(dataSource, displayUrl, connection)));
  }

  /** The rows of query {@code name}, each made by {@code row}. */
  <T> List<T> query(String name, Map<String, ?> values, Store.SqlFunction<ResultSet, T> row) {
    NamedSql sql = NamedSql.load(name);
    return withConnection(
        connection -> {
          try (PreparedStatement statement = sql.prepare(connection, values);
              ResultSet rs = statement.executeQuery()) {
            List<T> rows = new ArrayList<>();
            while (rs.next()) {
              rows.add(row.apply(rs));
            }
            return rows;
          }
        });
  }

  /** The first row of query {@code name}, which always has one. */
  <T> T queryOne(String name, Map<String, ?> values, Store.SqlFunction<ResultSet, T> row) {
    return query(name, values, row).get(0);
  }

  <T> T withConnection(Store.SqlFunction<Connection, T> work) {
    try {
      if (held != null) {
        return work.apply(held);
      }
      try (Connection connection = dataSource.getConnection()) {
        return work.apply(connection);
      }
    } catch (SQLException e) {
      if (UNDEFINED_TABLE.equals(e.getSQLState())) {
        throw new StoreException(
            "the database at " + displayUrl + " has no heartlog tables yet: run heartlog migrate first", e, e.getSQLState());
      }
      throw new StoreException("query on " + displayUrl + " failed: " + e.getMessage()
          + ConnectionFailure.readOnlyHint(e.getSQLState()), e, e.getSQLState());
    }
  }
}
