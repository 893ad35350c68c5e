package dev.heartlog.agent;

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

  /** Releases connections. The default does nothing. */
  @Override
  default void close() {}
}
