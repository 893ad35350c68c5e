package dev.heartlog.server;

import com.zaxxer.hikari.HikariDataSource;
import dev.heartlog.store.Store;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A server's settings once built: a builder used again afterwards changes no server it built.
 * See {@link HeartlogServerBuilder} for each setting; a null {@code retention} is the store's own,
 * a null {@code connectionPool} none to report.
 */
record ServerConfig(
    Store store,
    String jdbcUrl,
    String user,
    String password,
    String bind,
    int port,
    long maxBodyBytes,
    Duration maintenanceInterval,
    Duration retention,
    int tailMaxQueued,
    List<String> corsOrigins,
    Duration tailKeepAlive,
    int storeRequestLimit,
    Clock clock,
    PrintStream diagnostics,
    HikariDataSource connectionPool) {

  @Override
  public String toString() {
    return "ServerConfig[" + store.displayUrl() + ", " + bind + ":" + port + ", password=***]";
  }
}
