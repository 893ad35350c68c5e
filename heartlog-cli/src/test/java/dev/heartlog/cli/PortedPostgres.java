package dev.heartlog.cli;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;

/**
 * A PostgreSQL of a test's own on a port chosen before it runs: for a command pointed at a
 * database that is not up yet, or that restarts on the same port.
 */
final class PortedPostgres {

  private PortedPostgres() {}

  /** A port nothing listens on now. */
  static int freePort() throws IOException {
    try (ServerSocket free = new ServerSocket(0)) {
      return free.getLocalPort();
    }
  }

  /** Starts the server of {@code data} (made on its first start) on {@code port}. */
  static EmbeddedPostgres start(Path data, int port) throws IOException {
    return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
  }
}
