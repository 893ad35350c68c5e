package dev.heartlog.server;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A store's connections, real ones; those asked for by the live tail's reads of what followers
 * missed (its thread {@code heartlog-tail-missed-reads}) are counted, and wait at a gate while it
 * is closed.
 */
final class GatedReads implements DataSource {
  private final PGSimpleDataSource database = new PGSimpleDataSource();
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicInteger taken = new AtomicInteger();
  private volatile CountDownLatch gate = new CountDownLatch(0);

  GatedReads(String url) {
    database.setURL(url);
  }

  void close() {
    gate = new CountDownLatch(1);
  }

  void open() {
    gate.countDown();
  }

  /** The reads of what was missed waiting at the gate now. */
  int waiting() {
    return waiting.get();
  }

  /** The connections the reads of what was missed took, through the gate. */
  int taken() {
    return taken.get();
  }

  @Override
  public Connection getConnection() throws SQLException {
    if (Thread.currentThread().getName().equals("heartlog-tail-missed-reads")) {
      waiting.incrementAndGet();
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted at the gate", e);
      } finally {
        waiting.decrementAndGet();
      }
      taken.incrementAndGet();
    }
    return database.getConnection();
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return getConnection();
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() {
    return Logger.getGlobal();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return false;
  }
}
