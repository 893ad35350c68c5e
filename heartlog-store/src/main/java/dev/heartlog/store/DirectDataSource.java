package dev.heartlog.store;

import java.util.Properties;
import org.postgresql.Driver;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The data source of a store opened by URL, as the command line opens one: no pool (a new
 * connection for each read, {@link Queries#onOneConnection}), nothing set in the session.
 */
final class DirectDataSource {

  private DirectDataSource() {}

  /**
   * A data source for {@code jdbcUrl}, with user and password in it or given apart ({@code null}
   * to take them from the URL).
   *
   * @throws StoreException when the URL is malformed
   */
  static PGSimpleDataSource of(String jdbcUrl, String user, String password) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    try {
      dataSource.setURL(jdbcUrl);
    } catch (IllegalArgumentException e) {
      throw new StoreException("the database URL " + Store.redact(jdbcUrl) + " is malformed", e);
    }
    if (user != null) {
      dataSource.setUser(user);
    }
    if (password != null) {
      dataSource.setPassword(password);
    }
    dataSource.setConnectTimeout(5);
    dataSource.setApplicationName("heartlog");
    // Every statement unnamed, so planned with its actual values, and safe behind a pooler in
    // transaction mode (Supabase's port 6543), where a statement prepared by name on one server
    // connection may be executed on another. A read of several queries runs them on one
    // connection, the same statement up to six times, and the driver names a statement from its
    // fifth execution on a connection. prepareThreshold in the URL decides instead.
    // No plan_cache_mode (a pool's concern: Store.open(DataSource, String)), nor any other
    // startup option: PgBouncer refuses a connection that sets one.
    Properties urlProperties = Driver.parseURL(jdbcUrl, null);
    if (urlProperties == null || urlProperties.getProperty("prepareThreshold") == null) {
      dataSource.setPrepareThreshold(0);
    }
    return dataSource;
  }
}
