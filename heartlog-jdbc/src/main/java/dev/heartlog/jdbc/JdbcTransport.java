package dev.heartlog.jdbc;

import dev.heartlog.agent.ConnectionFailure;
import dev.heartlog.agent.DeliveryResult;
import dev.heartlog.agent.Destination;
import dev.heartlog.agent.FunctionLadder;
import dev.heartlog.agent.Heartbeat;
import dev.heartlog.agent.IngestResponse;
import dev.heartlog.agent.PostgresUrl;
import dev.heartlog.agent.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;
import org.postgresql.PGStatement;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Sends heartbeats over JDBC as one call of {@code func_worker_heartbeat_with_logs} with bind
 * parameters.
 *
 * <p>Where the database lacks heartlog's function it steps down: first to the seed's 5-argument
 * function, then (SQLSTATE 42883 again) to the seed's fallback, a plain update of the worker's
 * row. Records are kept in both fallbacks that cannot store them, and the full function is tried
 * again every {@link JdbcTransportBuilder#functionRetryInterval(Duration)
 * functionRetryInterval}. A database that cannot be reached is a {@link
 * DeliveryResult.Outcome#FAILED} result, never an exception.
 *
 * <p>It holds one connection of its own, opened on first use and again after a failure; or, built
 * with a {@link JdbcTransportBuilder#dataSource(DataSource) data source}, borrows one for each
 * heartbeat from a pool the application owns, so many agents in one process share a few
 * connections.
 *
 * <p>Used by one agent's heartbeat rounds only, one at a time; not thread-safe.
 */
public final class JdbcTransport implements Transport {

  /** How often a missing function is looked for again: 5 minutes. */
  public static final Duration DEFAULT_FUNCTION_RETRY_INTERVAL = Duration.ofMinutes(5);
  /** How long opening a connection may take: 5 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** How long one call may wait for the database's answer: 30 seconds. */
  public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(30);

  private static final String UNDEFINED_FUNCTION = "42883";
  private static final String UNDEFINED_COLUMN = "42703";
  /** "prepared statement S_1 already exists": a transaction-mode pooler gave another backend. */
  private static final String DUPLICATE_PREPARED_STATEMENT = "42P05";
  /** "prepared statement S_1 does not exist": the same, the other way round. */
  private static final String UNKNOWN_PREPARED_STATEMENT = "26000";

  private static final String HEARTBEAT = sql("heartbeat.sql");
  private static final String HEARTBEAT_SEED = sql("heartbeat-seed.sql");
  private static final String HEARTBEAT_FALLBACK = sql("heartbeat-fallback.sql");

  private final String url;
  private final DataSource dataSource;
  private final Properties connectionProperties;
  /** The password, as given and as the URL writes it: masked in the records shipped. */
  private final List<String> credentials;
  private final FunctionLadder ladder;
  /**
   * Set once the database turned out to sit behind a pooler in transaction mode (Supabase's
   * Supavisor on port 6543, PgBouncer), which hands each transaction whichever backend is free:
   * a statement the driver prepared by name on one backend is then missing, or already there,
   * on the next. From then on every call is an unnamed statement, parsed each time, what
   * Supabase asks of JDBC clients there ({@code prepareThreshold=0}); a direct connection keeps
   * the driver's named statements, parsed once.
   */
  private volatile boolean unnamedStatements;

  private Connection connection;
  private boolean connectionLost;   // by the last attempt on it

  JdbcTransport(JdbcTransportBuilder builder) {
    Destination destination = builder.url == null ? null : PostgresUrl.destination(builder.url, builder.user, builder.password);
    this.url = destination == null ? null : destination.url();
    this.dataSource = builder.dataSource;
    this.ladder = new FunctionLadder(builder.functionRetryInterval, builder.clock);
    Properties properties = new Properties();
    if (destination != null && destination.user() != null) {
      properties.setProperty("user", destination.user());
    }
    if (destination != null && destination.password() != null) {
      properties.setProperty("password", destination.password());
    }
    List<String> passwords = new ArrayList<>(PostgresUrl.passwordsIn(builder.url));
    if (destination != null && destination.password() != null) {
      passwords.add(destination.password());
    }
    this.credentials = List.copyOf(passwords);
    properties.setProperty("connectTimeout", Long.toString(builder.connectTimeout.toSeconds()));
    properties.setProperty("loginTimeout", Long.toString(builder.connectTimeout.toSeconds()));
    properties.setProperty("socketTimeout", Long.toString(builder.socketTimeout.toSeconds()));
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty("ApplicationName", "heartlog-agent");
    this.connectionProperties = properties;
  }

  public static JdbcTransportBuilder builder() {
    return new JdbcTransportBuilder();
  }

  @Override
  public Collection<String> credentials() {
    return credentials;
  }

  @Override
  public DeliveryResult deliver(Heartbeat heartbeat) {
    if (dataSource != null) {
      try (Connection borrowed = dataSource.getConnection()) {
        return result(() -> send(borrowed, heartbeat));
      } catch (SQLException e) {
        return DeliveryResult.failed(describe(e));
      }
    }
    boolean held = connection != null;   // since an earlier heartbeat
    DeliveryResult result = result(() -> send(connection(), heartbeat));
    if (result.outcome() == DeliveryResult.Outcome.FAILED) {
      closeConnection();
      if (held && connectionLost) {
        // The connection held since the last heartbeat was closed meanwhile: by the server's
        // idle_session_timeout, a pooler's or a load balancer's idle timeout, a restart. The call
        // did not run on it (and a batch that did is stored once: it carries its session and
        // number), so it goes again at once on a new connection rather than as a failure.
        result = result(() -> send(connection(), heartbeat));
        if (result.outcome() == DeliveryResult.Outcome.FAILED) {
          closeConnection();
        }
      }
    }
    return result;
  }

  /** One attempt, as a delivery result; notes in {@link #connectionLost} whether it lost its connection. */
  private DeliveryResult result(Attempt attempt) {
    connectionLost = false;
    try {
      return attempt.send();
    } catch (SQLException e) {
      connectionLost = isLostConnection(e);
      return isRejection(e) ? DeliveryResult.rejected(describe(e)) : DeliveryResult.failed(describe(e));
    }
  }

  private interface Attempt {
    DeliveryResult send() throws SQLException;
  }

  private DeliveryResult send(Connection open, Heartbeat heartbeat) throws SQLException {
    ladder.start();
    while (true) {
      FunctionLadder.Step step = ladder.step();
      try {
        return call(open, heartbeat, step);
      } catch (SQLException e) {
        if (isPoolerInTransactionMode(e) && !unnamedStatements) {
          unnamedStatements = true;   // and again at once: the statement failed before it ran
          continue;
        }
        if (!UNDEFINED_FUNCTION.equals(e.getSQLState()) || raisedInsideFunction(e) || !ladder.stepDown()) {
          throw e;
        }
      }
    }
  }

  /**
   * Whether the connection was gone: a connection exception (class 08, which pgjdbc also gives an
   * I/O error on its socket), or the server ending the session (57P01 to 57P05: shutdown, idle
   * session timeout).
   */
  static boolean isLostConnection(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("08") || state.startsWith("57P0"));
  }

  /**
   * Whether the database refused the batch for what it contains, so that sending it again would
   * fail again: data exceptions (class 22), integrity violations (23) and program limits (54),
   * which heartlog's own function isolates per record but older functions do not. Everything else
   * (connections, shutdowns, permissions, missing objects) may pass once an operator or the
   * network fixes it, so it is retried.
   */
  static boolean isRejection(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
  }

  private static boolean isPoolerInTransactionMode(SQLException e) {
    return DUPLICATE_PREPARED_STATEMENT.equals(e.getSQLState()) || UNKNOWN_PREPARED_STATEMENT.equals(e.getSQLState());
  }

  /** Whether calls go as unnamed statements, since the database sits behind a transaction-mode pooler. */
  boolean usesUnnamedStatements() {
    return unnamedStatements;
  }

  private PreparedStatement prepare(Connection open, String sql) throws SQLException {
    PreparedStatement statement = open.prepareStatement(sql);
    if (unnamedStatements) {
      statement.unwrap(PGStatement.class).setPrepareThreshold(0);
    }
    return statement;
  }

  private DeliveryResult call(Connection open, Heartbeat heartbeat, FunctionLadder.Step step) throws SQLException {
    switch (step) {
      case HEARTLOG_FUNCTION -> {
        try (PreparedStatement statement = prepare(open, HEARTBEAT)) {
          statement.setString(1, heartbeat.workerId());
          setInteger(statement, 2, heartbeat.vramTotalMb());
          setInteger(statement, 3, heartbeat.vramUsedMb());
          statement.setString(4, heartbeat.logsJson());
          statement.setString(5, heartbeat.currentTaskId());
          statement.setString(6, heartbeat.status().wireName());
          statement.setString(7, heartbeat.sessionId());
          if (heartbeat.batchSequence() == null) {
            statement.setNull(8, Types.BIGINT);
          } else {
            statement.setLong(8, heartbeat.batchSequence());
          }
          statement.setString(9, heartbeat.metadataJson());
          return IngestResponse.parse(singleString(statement));
        }
      }
      case SEED_FUNCTION -> {
        try (PreparedStatement statement = prepare(open, HEARTBEAT_SEED)) {
          statement.setString(1, heartbeat.workerId());
          setInteger(statement, 2, heartbeat.vramTotalMb());
          setInteger(statement, 3, heartbeat.vramUsedMb());
          statement.setString(4, heartbeat.logsJson());
          statement.setString(5, heartbeat.currentTaskId());
          return IngestResponse.parse(singleString(statement));
        }
      }
      default -> {
        try (PreparedStatement statement = prepare(open, HEARTBEAT_FALLBACK)) {
          // The status and the task untyped: the server reads them as their columns' types (an
          // orchestrator's enum status, a uuid task id), as PostgREST reads the seed's PATCH.
          statement.setObject(1, heartbeat.status().wireName(), Types.OTHER);
          setInteger(statement, 2, heartbeat.vramTotalMb());
          setInteger(statement, 3, heartbeat.vramUsedMb());
          statement.setObject(4, heartbeat.currentTaskId(), Types.OTHER);
          statement.setString(5, heartbeat.workerId());
          statement.executeUpdate();
          return DeliveryResult.heartbeatOnly(
              "func_worker_heartbeat_with_logs is missing in the database (run heartlog migrate); "
                  + "sent a plain heartbeat");
        } catch (SQLException e) {
          if (isRejection(e)) {
            // The worker's row refused (a status its enum does not list): the update carried no
            // records, so none are dropped for it.
            return DeliveryResult.failed("func_worker_heartbeat_with_logs is missing in the database (run heartlog "
                + "migrate), and the workers table refused the plain heartbeat: " + describe(e));
          }
          throw e;
        }
      }
    }
  }

  @Override
  public void close() {
    closeConnection();
  }

  @Override
  public String toString() {
    if (dataSource != null) {
      return "JdbcTransport[" + dataSource + "]";
    }
    return "JdbcTransport[" + PostgresUrl.redact(url) + "]";
  }

  private Connection connection() throws SQLException {
    if (connection == null || connection.isClosed()) {
      connection = DriverManager.getConnection(url, connectionProperties);
      connection.setAutoCommit(true);
    }
    return connection;
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Already broken; a new one is opened on the next heartbeat.
      }
      connection = null;
    }
  }

  private static String singleString(PreparedStatement statement) throws SQLException {
    try (ResultSet rs = statement.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static void setInteger(PreparedStatement statement, int index, Integer value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.INTEGER);
    } else {
      statement.setInt(index, value);
    }
  }

  /** The failure as the agent reports it: the driver's message, what it leaves out, its SQLSTATE. */
  private String describe(SQLException e) {
    String state = e.getSQLState() == null ? "" : " [SQLSTATE " + e.getSQLState() + "]";
    boolean undefined = UNDEFINED_FUNCTION.equals(e.getSQLState()) || UNDEFINED_COLUMN.equals(e.getSQLState());
    if (undefined && raisedInsideFunction(e)) {
      state += " (inside func_worker_heartbeat_with_logs, which exists: has the workers table changed since heartlog "
          + "migrate? Run it again: it checks the table's columns and puts heartlog's back)";
    }
    return serverWords(e) + ConnectionFailure.detail(url, e) + state + ConnectionFailure.readOnlyHint(e.getSQLState());
  }

  /**
   * The database's message, detail and hint on one line, without the statement context pgjdbc
   * adds to its message: for an error inside the ingest function, its SQL (a full disk's was
   * 1,030 characters on 13 lines, in the worker's stderr at each failed heartbeat).
   */
  private static String serverWords(SQLException e) {
    ServerErrorMessage server = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
    if (server == null || server.getMessage() == null) {
      return e.getMessage();
    }
    StringBuilder words = new StringBuilder(server.getSeverity() == null ? "ERROR" : server.getSeverity())
        .append(": ").append(server.getMessage());
    if (server.getDetail() != null) {
      words.append(" (").append(server.getDetail()).append(')');
    }
    if (server.getHint() != null) {
      words.append(" Hint: ").append(server.getHint());
    }
    return words.toString();
  }

  /**
   * Whether the database raised the error inside a function (its CONTEXT names it), rather than
   * at the statement's own call. An undefined function or operator there is not a missing
   * heartlog function: an orchestrator that retyped workers.id to uuid after migrate makes the
   * function's update fail with "operator does not exist: uuid = text" (42883), and stepping down
   * to the fallbacks would hide that behind them until the function is tried again.
   */
  private static boolean raisedInsideFunction(SQLException e) {
    ServerErrorMessage server = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
    return server != null && server.getWhere() != null && !server.getWhere().isBlank();
  }

  private static String sql(String name) {
    try (InputStream in = JdbcTransport.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing SQL resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "").trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
