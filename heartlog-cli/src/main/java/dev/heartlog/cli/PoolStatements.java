package dev.heartlog.cli;

import java.util.Arrays;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * Whether {@code heartlog serve}'s pool may name its statements, as pgjdbc does after a statement's
 * fifth execution, or must send every one unnamed.
 *
 * <p>A named statement lives on the backend that prepared it. Behind a pooler in transaction mode
 * (Supabase's port 6543, PgBouncer's {@code pool_mode = transaction}) the next transaction may get
 * another backend, where the name is missing, or names another connection's statement: one with as
 * many parameters would run the other's SQL. Unnamed statements are safe anywhere but made the
 * queries about a fifth slower (1.0–1.3 × the time, BENCHMARKS.md §3), so they are taken only where something sits between heartlog
 * and the server: where the port the server says it listens on ({@code inet_server_port()}) is
 * not the one connected to. {@code prepareThreshold} in the URL decides instead where it is given.
 */
final class PoolStatements {

  private PoolStatements() {}

  /**
   * @param jdbcUrl the URL the pool connects to
   * @param serverPort what the server answered for {@code inet_server_port()}; null over a Unix
   *     socket, or from a pooler's backend connected through one
   */
  static boolean mayBeNamed(String jdbcUrl, Integer serverPort) {
    Properties url = Driver.parseURL(jdbcUrl, null);
    if (url == null) {
      return false;
    }
    String threshold = url.getProperty("prepareThreshold");
    if (threshold != null) {
      try {
        return Integer.parseInt(threshold.trim()) != 0;
      } catch (NumberFormatException e) {
        return false;
      }
    }
    String ports = url.getProperty("PGPORT");   // one per host, comma-separated
    return serverPort != null && ports != null
        && Arrays.stream(ports.split(",")).allMatch(port -> port.trim().equals(serverPort.toString()));
  }
}
