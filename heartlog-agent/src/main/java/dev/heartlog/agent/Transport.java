package dev.heartlog.agent;

import java.util.Collection;
import java.util.List;

/**
 * Carries a heartbeat to a store: over JDBC ({@code heartlog-jdbc}) or HTTP.
 *
 * <p>Called from the agent's heartbeat thread only, one call at a time, so an implementation need
 * not be thread-safe. It must not throw for a store that is down or missing its function: those
 * are {@link DeliveryResult} outcomes.
 */
public interface Transport extends AutoCloseable {

  /** Sends one heartbeat and reports what the store did with it. */
  DeliveryResult deliver(Heartbeat heartbeat);

  /**
   * The credentials this transport sends with (a password, an API key, a token), which the agent
   * masks in the records it ships: a worker that logs its own configuration, or a database URL it
   * shares with heartlog, would otherwise store them. Asked for each batch, so a token read again
   * from its file is the one masked. The default names none.
   */
  default Collection<String> credentials() {
    return List.of();
  }

  /** Releases connections. The default does nothing. */
  @Override
  default void close() {}
}
