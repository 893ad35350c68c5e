package dev.heartlog.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A query kept in a {@code .sql} resource, with named parameters ({@code :worker}) that are
 * always bound, never spliced into the text. A cast after a parameter ({@code :since::timestamptz})
 * is left alone. A line {@code \ir other.sql} stands for that resource's text, as psql's {@code
 * \ir} reads it in: the start of a query that several share.
 */
final class NamedSql {

  private static final Pattern PARAMETER = Pattern.compile("(?<![:\\w]):([a-z_][a-z0-9_]*)");

  private static final Pattern INCLUDE = Pattern.compile("(?m)^\\\\ir\\s+(\\S+\\.sql)\\s*$");

  private final String name;
  private final String jdbcSql;
  private final List<String> parameterOrder;

  private NamedSql(String name, String jdbcSql, List<String> parameterOrder) {
    this.name = name;
    this.jdbcSql = jdbcSql;
    this.parameterOrder = parameterOrder;
  }

  private static final ConcurrentHashMap<String, NamedSql> LOADED = new ConcurrentHashMap<>();

  /**
   * The query in {@code sql/<name>.sql} of the store's resources, read and parsed once: the
   * server runs some of them on every request.
   */
  static NamedSql load(String name) {
    return LOADED.computeIfAbsent(name, NamedSql::read);
  }

  private static NamedSql read(String name) {
    return parse(name, text(name + ".sql"));
  }

  /** The text of resource {@code sql/<file>}, with the files its {@code \ir} lines name read in. */
  private static String text(String file) {
    String resource = "sql/" + file;
    try (InputStream in = NamedSql.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing query resource " + resource);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return INCLUDE.matcher(text).replaceAll(include -> Matcher.quoteReplacement(text(include.group(1))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // Visible for testing
  static NamedSql parse(String name, String text) {
    String withoutComments = text.replaceAll("(?m)--.*$", "");
    Matcher matcher = PARAMETER.matcher(withoutComments);
    List<String> order = new ArrayList<>();
    StringBuilder sql = new StringBuilder();
    while (matcher.find()) {
      order.add(matcher.group(1));
      matcher.appendReplacement(sql, "?");
    }
    matcher.appendTail(sql);
    return new NamedSql(name, sql.toString(), List.copyOf(order));
  }

  String jdbcSql() {
    return jdbcSql;
  }

  List<String> parameterOrder() {
    return parameterOrder;
  }

  /**
   * Prepares the statement and binds every named parameter from {@code values}.
   *
   * @throws IllegalArgumentException when a parameter has no value in the map
   */
  PreparedStatement prepare(Connection connection, Map<String, ?> values) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(jdbcSql);
    try {
      for (int i = 0; i < parameterOrder.size(); i++) {
        String parameter = parameterOrder.get(i);
        if (!values.containsKey(parameter)) {
          throw new IllegalArgumentException("query " + name + " needs a value for :" + parameter);
        }
        bind(connection, statement, i + 1, values.get(parameter));
      }
      return statement;
    } catch (SQLException | RuntimeException e) {
      statement.close();
      throw e;
    }
  }

  private static void bind(Connection connection, PreparedStatement statement, int index, Object value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.VARCHAR);
    } else if (value instanceof String s) {
      statement.setString(index, s);
    } else if (value instanceof Long l) {
      statement.setLong(index, l);
    } else if (value instanceof Integer n) {
      statement.setInt(index, n);
    } else if (value instanceof Boolean b) {
      statement.setBoolean(index, b);
    } else if (value instanceof Instant t) {
      statement.setObject(index, t.atOffset(ZoneOffset.UTC));
    } else if (value instanceof String[] array) {
      statement.setArray(index, connection.createArrayOf("text", array));
    } else if (value instanceof Long[] array) {
      statement.setArray(index, connection.createArrayOf("bigint", array));
    } else {
      throw new IllegalArgumentException("cannot bind a " + value.getClass().getName());
    }
  }
}
