package dev.heartlog.store;

import com.zaxxer.hikari.HikariDataSource;

/**
 * A store over a pool of two connections, as {@code heartlog serve} keeps its own, for a test that
 * makes hundreds of queries whose answers it compares. {@link Store#open(String, String, String)}
 * opens a connection for each call, as a command of the command line needs no more, and a new
 * server process plans each query against cold catalog caches: about 10 ms a query of a
 * partitioned table here, against 0.5 ms on a connection that has made it before. Not for tests
 * of connections themselves. In a class of its own, so that the test-jar's other users need no
 * HikariCP.
 */
public final class PooledStores {

  private PooledStores() {}

  /** A migrated store on a new, empty database ({@link TestDatabase#freshStore()}), pooled. */
  public static Store fresh() {
    String url = TestDatabase.migratedUrl();
    return of(url);
  }

  /** A store on {@code url} (already migrated) whose connections are kept until the JVM ends. */
  public static Store of(String url) {
    HikariDataSource pool = new HikariDataSource();
    pool.setJdbcUrl(url);
    pool.setMaximumPoolSize(2);
    pool.setPoolName("test-store");
    return Store.open(pool, url);
  }
}
