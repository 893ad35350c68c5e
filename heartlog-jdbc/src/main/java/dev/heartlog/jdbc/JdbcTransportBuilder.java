package dev.heartlog.jdbc;

import dev.heartlog.agent.PostgresUrl;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/** Builds a {@link JdbcTransport}; a URL or a data source is required. */
public final class JdbcTransportBuilder {
  // Package-private: JdbcTransport's constructor reads them.
  String url;
  DataSource dataSource;
  String user;
  String password;
  Duration connectTimeout = JdbcTransport.DEFAULT_CONNECT_TIMEOUT;
  Duration socketTimeout = JdbcTransport.DEFAULT_SOCKET_TIMEOUT;
  Duration functionRetryInterval = JdbcTransport.DEFAULT_FUNCTION_RETRY_INTERVAL;
  Clock clock = Clock.systemUTC();

  JdbcTransportBuilder() {}

  /**
   * A {@code jdbc:postgresql://host:port/database} URL, or the {@code
   * postgresql://user:password@host:port/database} URI libpq and Supabase give ({@link
   * PostgresUrl}). Required, unless a data source is given.
   *
   * @throws IllegalArgumentException when it is neither
   */
  public JdbcTransportBuilder url(String url) {
    if (!PostgresUrl.isPostgres(url)) {
      throw new IllegalArgumentException("JDBC URL must start with jdbc:postgresql:// (or be a postgresql:// URI)");
    }
    this.url = url;
    return this;
  }

  /**
   * Borrows a connection from this pool for each heartbeat instead of holding one; for many
   * agents in one process. The pool's own settings (user, timeouts) apply, and closing the
   * transport leaves the pool open. Instead of {@link #url(String)}.
   */
  public JdbcTransportBuilder dataSource(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "data source must not be null");
    return this;
  }

  /** The database user, unless the URL names it. */
  public JdbcTransportBuilder user(String user) {
    this.user = user;
    return this;
  }

  /** The password, unless the URL has it; never printed. */
  public JdbcTransportBuilder password(String password) {
    this.password = password;
    return this;
  }

  /** Default {@link JdbcTransport#DEFAULT_CONNECT_TIMEOUT}; whole seconds. */
  public JdbcTransportBuilder connectTimeout(Duration timeout) {
    this.connectTimeout = atLeastOneSecond(timeout, "connect timeout must be at least one second");
    return this;
  }

  /** Default {@link JdbcTransport#DEFAULT_SOCKET_TIMEOUT}; whole seconds. */
  public JdbcTransportBuilder socketTimeout(Duration timeout) {
    this.socketTimeout = atLeastOneSecond(timeout, "socket timeout must be at least one second");
    return this;
  }

  /** Default {@link JdbcTransport#DEFAULT_FUNCTION_RETRY_INTERVAL}. */
  public JdbcTransportBuilder functionRetryInterval(Duration interval) {
    if (interval == null || interval.isNegative()) {
      throw new IllegalArgumentException("function retry interval must not be negative");
    }
    this.functionRetryInterval = interval;
    return this;
  }

  /** The clock that times function retries; default the system clock. */
  public JdbcTransportBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock must not be null");
    return this;
  }

  /** @throws IllegalStateException when neither a URL nor a data source was set, or both */
  public JdbcTransport build() {
    if (url == null && dataSource == null) {
      throw new IllegalStateException("JDBC URL is required");
    }
    if (url != null && dataSource != null) {
      throw new IllegalStateException("set a JDBC URL or a data source, not both");
    }
    return new JdbcTransport(this);
  }

  private static Duration atLeastOneSecond(Duration value, String message) {
    if (value == null || value.toSeconds() < 1) {
      throw new IllegalArgumentException(message);
    }
    return value;
  }
}
