package dev.heartlog.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;

/**
 * Who may write and read a store: the roles {@code heartlog_writer} and {@code heartlog_reader},
 * the logins given them, and the tokens revoked. What {@code heartlog grant} and {@code heartlog
 * revoke} do; obtained from {@link Store#roles()}.
 */
public final class Roles {

  private static final String INSUFFICIENT_PRIVILEGE = "42501";
  /** The most bytes of a name PostgreSQL keeps (NAMEDATALEN less one). */
  static final int MAX_NAME_BYTES = 63;

  private final Store store;

  Roles(Store store) {
    this.store = store;
  }

  /**
   * Gives the roles {@code heartlog_writer} and {@code heartlog_reader} their rights, at every
   * migrate: a role created after the schema (by a user that may create roles) gets them from the
   * next one. A user that does not own the schema cannot grant, and is not asked to.
   */
  void grantTheirRights() {
    try {
      store.withConnection(connection -> {
        try (Statement statement = connection.createStatement()) {
          return statement.execute("SELECT heartlog_grant_roles()");
        }
      });
    } catch (StoreException e) {
      if (!INSUFFICIENT_PRIVILEGE.equals(e.sqlState())) {
        throw e;
      }
    }
  }

  /**
   * Why heartlog's functions keep running with their callers' rights and writers cannot write
   * (others may create objects in heartlog's schema, PostgreSQL 14's default), with the statement
   * that fixes it; empty when they run as their owner.
   */
  public Optional<String> problem() {
    return Optional.ofNullable(store.queryOne("roles-problem", Map.of(), rs -> rs.getString("problem")));
  }

  /**
   * Makes {@code login} a writer: a member of {@code heartlog_writer}, which may call the ingest
   * function and nothing else, writing only as the workers whose id starts with {@code
   * workerPrefix} ({@code ""} for any). Run again for a writer, it changes the prefix.
   *
   * @param newPassword the password of the login if it has to be created
   * @return whether the login was created
   */
  public boolean grantWriter(String login, String workerPrefix, String newPassword) {
    return grantWriter(login, workerPrefix, false, newPassword);
  }

  /**
   * Like {@link #grantWriter(String, String, String)}; with {@code tokenRequired}, a role that
   * PostgREST switches to writes only with a token from {@code heartlog token} (its claim
   * {@code heartlog_workers}): on Supabase, the project's signed-in users, who hold tokens for
   * the same role without that claim, may not write.
   */
  public boolean grantWriter(String login, String workerPrefix, boolean tokenRequired, String newPassword) {
    return grant(login, newPassword, "SELECT heartlog_grant_writer(?, ?, ?)", workerPrefix, tokenRequired);
  }

  /**
   * Makes {@code login} a reader: a member of {@code heartlog_reader}, which may read what the
   * command line, the JSON API and the viewer read, and write nothing.
   *
   * @param newPassword the password of the login if it has to be created
   * @return whether the login was created
   */
  public boolean grantReader(String login, String newPassword) {
    return grant(login, newPassword, "SELECT heartlog_grant_reader(?)");
  }

  /** Takes both roles, and a writer's prefix, from {@code login}; the login itself stays. */
  public void revoke(String login) {
    checkName(login);
    store.withConnection(connection -> {
      try (PreparedStatement statement = connection.prepareStatement("SELECT heartlog_revoke(?)")) {
        statement.setString(1, login);
        return statement.execute();
      }
    });
  }

  /**
   * Revokes every token for {@code workerPrefix} (its claim {@code heartlog_workers}, exactly;
   * {@code ""} for tokens for any worker) issued before now: the ingest function refuses them
   * from now on. Tokens made later are accepted.
   *
   * @return the time before which such tokens are refused
   */
  public Instant revokeTokens(String workerPrefix) {
    return store.withConnection(connection -> {
      try (PreparedStatement statement = connection.prepareStatement("SELECT heartlog_revoke_tokens(?)")) {
        statement.setString(1, workerPrefix);
        try (ResultSet rs = statement.executeQuery()) {
          rs.next();
          return rs.getObject(1, OffsetDateTime.class).toInstant();
        }
      }
    });
  }

  /** Runs {@code grantSql} with the login and then {@code arguments} bound, creating the login first if it is missing. */
  private boolean grant(String login, String newPassword, String grantSql, Object... arguments) {
    checkName(login);
    return store.withConnection(connection -> {
      refuseUnlimited(connection, login);
      connection.setAutoCommit(false);
      try {
        boolean created = !exists(connection, login);
        if (created) {
          create(connection, login, newPassword);
        }
        try (PreparedStatement statement = connection.prepareStatement(grantSql)) {
          statement.setString(1, login);
          for (int i = 0; i < arguments.length; i++) {
            statement.setObject(i + 2, arguments[i]);
          }
          statement.execute();
        }
        connection.commit();
        return created;
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      }
    });
  }

  /**
   * Refuses a name PostgreSQL would not keep as given: a blank one ("zero-length delimited
   * identifier" before), or one over {@value #MAX_NAME_BYTES} bytes, which PostgreSQL cuts without
   * a word: the login was created under the cut name, said under the whole one, and the same
   * grant run again failed with "role ... already exists".
   */
  private static void checkName(String login) {
    if (login == null || login.isBlank()) {
      throw new IllegalArgumentException("the login is blank: give its name");
    }
    int bytes = login.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_NAME_BYTES) {
      throw new IllegalArgumentException("the login " + login + " is " + bytes + " bytes long; PostgreSQL keeps names of at most "
          + MAX_NAME_BYTES + " bytes and would cut it");
    }
  }

  /**
   * Refuses to make a superuser, or the user that owns heartlog's tables, a writer or a reader:
   * no role limits either (the owner's own heartbeats are not held to a prefix, and both may read
   * and write everything), so "may send heartbeats as the workers whose id starts with ..., and do
   * nothing else" would have been said of a login that may do anything.
   */
  private static void refuseUnlimited(Connection connection, String login) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "SELECT r.rolsuper, r.rolname = pg_get_userbyid(c.relowner) FROM pg_roles AS r, pg_class AS c "
            + "WHERE r.rolname = ? AND c.oid = to_regclass('system_logs')")) {
      statement.setString(1, login);
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          return;   // a new login, or no store here (the grant function then says so)
        }
        String what = rs.getBoolean(1) ? "is a superuser" : rs.getBoolean(2) ? "owns heartlog's tables" : null;
        if (what != null) {
          throw new IllegalArgumentException(login + " " + what + ", which no role of heartlog's limits: it may read and "
              + "write everything already. Give the workers or the readers a login of their own (heartlog grant creates it)");
        }
      }
    }
  }

  private static boolean exists(Connection connection, String role) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
      statement.setString(1, role);
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static void create(Connection connection, String login, String password) throws SQLException {
    // CREATE ROLE takes no parameters: format() quotes the name and the password.
    String create;
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', ?::text, ?::text)")) {
      statement.setString(1, login);
      statement.setString(2, password);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        create = rs.getString(1);
      }
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute(create);
    }
  }
}
