package dev.heartlog.jdbc;

import dev.heartlog.agent.Destination;
import dev.heartlog.agent.PostgresUrl;
import dev.heartlog.agent.Transport;
import dev.heartlog.agent.TransportProvider;
import java.util.Optional;

/** Makes a {@link JdbcTransport} for {@code jdbc:postgresql:} and {@code postgresql://} destinations. */
public final class JdbcTransportProvider implements TransportProvider {

  /** Made by {@link java.util.ServiceLoader}, on the class path and the module path alike. */
  public JdbcTransportProvider() {}

  @Override
  public Optional<Transport> create(Destination destination) {
    if (!PostgresUrl.isPostgres(destination.url())) {
      return Optional.empty();
    }
    return Optional.of(
        JdbcTransport.builder()
            .url(destination.url())
            .user(destination.user())
            .password(destination.password())
            .build());
  }
}
