package dev.heartlog.jdbc.faults;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Host, port and database of a {@code jdbc:postgresql://host:port/database?...} URL. */
record DatabaseAddress(String host, int port, String database) {

  private static final Pattern URL = Pattern.compile("^jdbc:postgresql://([^:/?]+)(?::(\\d+))?/([^?]+).*$");

  static DatabaseAddress of(String url) {
    Matcher matcher = URL.matcher(url);
    if (!matcher.matches()) {
      throw new IllegalArgumentException("not a PostgreSQL JDBC URL with host and database: " + url);
    }
    return new DatabaseAddress(matcher.group(1), matcher.group(2) == null ? 5432 : Integer.parseInt(matcher.group(2)),
        matcher.group(3));
  }
}
