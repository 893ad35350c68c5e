package dev.heartlog.store;

import java.sql.SQLTransientConnectionException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** A store operation failed; the message is one sentence a user can act on. */
public final class StoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String sqlState;

  public StoreException(String message, Throwable cause) {
    this(message, cause, null);
  }

  public StoreException(String message, Throwable cause, String sqlState) {
    super(message, cause);
    this.sqlState = sqlState;
  }

  /** PostgreSQL's SQLSTATE of the failure, or {@code null} when it did not come from the database. */
  public String sqlState() {
    return sqlState;
  }

  /**
   * Whether the database raised the failure inside a function (its CONTEXT names one) rather than
   * at the statement's own call: an undefined function there (42883) is not a missing heartlog
   * function but one the function's statements could not find, such as an operator for an
   * orchestrator's retyped column.
   */
  public boolean raisedInsideFunction() {
    ServerErrorMessage server = getCause() instanceof PSQLException p ? p.getServerErrorMessage() : null;
    return server != null && server.getWhere() != null && !server.getWhere().isBlank();
  }

  /**
   * Whether a connection pool had none free within its wait while the database itself answered:
   * the pool's (HikariCP's) {@link SQLTransientConnectionException} with no failure to connect
   * behind it. Its connections were all busy: the database is slow, or asked too much at once.
   */
  public boolean isPoolTimeout() {
    return sqlState == null && getCause() instanceof SQLTransientConnectionException timeout && timeout.getCause() == null;
  }

  /** Whether the database could not be reached at all (SQLSTATE class 08, or no answer). */
  public boolean isUnreachable() {
    return sqlState == null || sqlState.startsWith("08") || sqlState.startsWith("57P");
  }
}
