package dev.heartlog.server;

import dev.heartlog.store.StoreException;
import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * A store failure as PostgREST answers it: its status for the SQLSTATE's class, and the
 * database's own message, detail and hint in {@code message}, {@code details} and {@code hint},
 * without the statement context pgjdbc appends (the ingest function's SQL, which told a worker's
 * log nothing and filled it with lines).
 */
final class DatabaseErrors {

  private DatabaseErrors() {}

  /**
   * 503 when the database cannot be reached or lacks a resource (class 53: disk full, out of
   * memory, too many connections), 504 when the pool had no connection in time, 400 for bad
   * data, 404 without heartlog's schema, 405 on a standby, 500 otherwise.
   */
  static PostgrestError answer(StoreException e) {
    String state = e.sqlState();
    String cause = reason(e);
    if (e.isPoolTimeout()) {
      return new PostgrestError(504, "PGRST003", "Timed out acquiring connection from connection pool.", cause, null)
          .retryAfter(StoreGuard.RETRY_AFTER);
    }
    if (e.isUnreachable()) {
      return new PostgrestError(503, "PGRST001", "Database client error. Retrying the connection.", cause, null)
          .retryAfter(StoreGuard.RETRY_AFTER);
    }
    ServerErrorMessage server = e.getCause() instanceof PSQLException p ? p.getServerErrorMessage() : null;
    String message = server == null || server.getMessage() == null ? cause : server.getMessage();
    String detail = server == null ? null : server.getDetail();
    String hint = server == null ? null : server.getHint();
    if (("42883".equals(state) || "42P01".equals(state) || "42703".equals(state)) && e.raisedInsideFunction()) {
      // The function exists; something its statements use does not ("operator does not exist:
      // uuid = text" once an orchestrator retyped workers.id after migrate, a column of heartlog's
      // gone with a workers table the orchestrator rebuilt).
      return new PostgrestError(500, state, message, detail,
          "Raised inside func_worker_heartbeat_with_logs, which exists: has the workers table changed since "
              + "heartlog migrate? Run it again: it checks the table's columns and puts heartlog's back");
    }
    if ("42883".equals(state) || "42P01".equals(state)) {
      return new PostgrestError(404, "PGRST202", "The store has no heartlog schema yet: run heartlog migrate", cause, null);
    }
    if (state.startsWith("22") || state.startsWith("23")) {
      return new PostgrestError(400, state, message, detail, hint);
    }
    if ("25006".equals(state)) {
      // As PostgREST answers it. Not the batch's fault: an agent keeps it and sends it again.
      return new PostgrestError(405, state, message, detail,
          "The database is read-only: a standby (read replica). Send heartbeats to a heartlog serve on the primary");
    }
    if (state.startsWith("53")) {
      // Not the batch's fault either, and it passes once the operator frees the disk or memory.
      return new PostgrestError(503, state, message, detail, hint == null
          ? "The database lacks a resource (disk space, memory or connections); send again once it is freed" : hint)
          .retryAfter(StoreGuard.RETRY_AFTER);
    }
    return new PostgrestError(500, state, message, detail, hint);
  }

  /**
   * The database's or its driver's words: the innermost {@link SQLException} behind the failure
   * (behind the pool's "Connection is not available" stands pgjdbc's "Connection to ... refused").
   */
  static String reason(StoreException e) {
    Throwable words = e;
    for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
      if (cause instanceof SQLException) {
        words = cause;
      }
    }
    return words.getMessage();
  }
}
