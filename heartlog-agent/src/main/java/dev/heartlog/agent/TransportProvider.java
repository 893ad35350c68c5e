package dev.heartlog.agent;

import java.util.Optional;

/**
 * Makes a {@link Transport} for the destinations it understands. Modules register one through
 * {@code META-INF/services/dev.heartlog.agent.TransportProvider}, so configuration by
 * environment finds, for example, the JDBC transport whenever {@code heartlog-jdbc} is on the
 * classpath.
 */
public interface TransportProvider {

  /** A transport for the destination, or empty when this provider does not handle its URL. */
  Optional<Transport> create(Destination destination);
}
