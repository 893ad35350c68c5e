package dev.heartlog.agent;

import java.util.Objects;

/**
 * Where heartbeats go, as configuration names it: a URL and credentials. A {@link
 * TransportProvider} turns it into a {@link Transport}. {@link #toString()} never shows the
 * password.
 *
 * @param url a {@code jdbc:postgresql://} URL, or a {@code postgresql://} URI ({@link PostgresUrl}),
 *     with {@code heartlog-jdbc} on the classpath
 * @param user the database user, or {@code null} to take it from the URL
 * @param password the password or API key, or {@code null}
 */
public record Destination(String url, String user, String password) {

  public Destination {
    Objects.requireNonNull(url, "url");
  }

  @Override
  public String toString() {
    return "Destination[url=" + PostgresUrl.redact(url)
        + ", user=" + user + ", password=" + (password == null ? "none" : "***") + "]";
  }
}
