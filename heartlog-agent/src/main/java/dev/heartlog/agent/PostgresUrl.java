package dev.heartlog.agent;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL addresses as users give them. The JDBC driver takes {@code
 * jdbc:postgresql://host:5432/db}; libpq, psql and Supabase's dashboard give a URI, {@code
 * postgresql://user:password@host:5432/db?sslmode=require} (or {@code postgres://}), whose user
 * and password the driver would not read. Both forms are taken: the URI becomes the JDBC URL of
 * the same hosts, database and parameters, with its user and password kept apart.
 */
public final class PostgresUrl {

  private static final String JDBC_PREFIX = "jdbc:postgresql:";
  private static final Pattern URI_PREFIX = Pattern.compile("(?i)^postgres(ql)?://");
  private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&]*");
  /** A URI's password: after the user and its colon, up to the last {@code @} before the path. */
  private static final Pattern URI_PASSWORD = Pattern.compile("(://[^/?@:]*:)[^/?]*@");
  /**
   * A password with an unescaped {@code /} or {@code ?}, which ends no URI's password: up to the
   * last {@code @} of the address. It may hide more than the password (an {@code @} in a
   * parameter), never less.
   */
  private static final Pattern URI_PASSWORD_UNESCAPED = Pattern.compile("(://[^/?@:]*:)[^@]*@(?=[^@]*$)");

  private PostgresUrl() {}

  /** Whether the address is a {@code jdbc:postgresql:} URL or a {@code postgres(ql)://} URI. */
  public static boolean isPostgres(String url) {
    return url != null && (url.startsWith(JDBC_PREFIX) || URI_PREFIX.matcher(url).find());
  }

  /**
   * Where an address in either form points, as the JDBC driver takes it. A JDBC URL is kept as
   * it is; a URI's user and password, where it has them, win over those given apart, as a JDBC
   * URL's own {@code user=} does.
   *
   * @param user the user given apart (a flag, an environment variable), or {@code null}
   * @param password the password given apart, or {@code null}
   * @throws IllegalArgumentException when the address is neither form, or a URI names no host
   */
  public static Destination destination(String url, String user, String password) {
    if (url == null || !isPostgres(url)) {
      throw new IllegalArgumentException("a database address must start with jdbc:postgresql:// or postgresql:// (got "
          + (url == null ? "none" : "'" + redact(url) + "'") + ")");
    }
    if (url.startsWith(JDBC_PREFIX)) {
      return new Destination(url, user, password);
    }
    String rest = url.substring(url.indexOf("://") + 3);
    int firstAt = rest.indexOf('@');
    if (firstAt >= 0 && firstOf(rest, '/', '?') < firstAt) {
      // libpq would not read it either: a '/' or '?' ends the host part. Read as a JDBC URL, such
      // a password was shown whole in the driver's warning and in heartlog's own message.
      throw new IllegalArgumentException("a postgresql:// address with a '/' or '?' before its '@' cannot be read: "
          + "write a '/', '?', '@' or '%' in the user or password as %2F, %3F, %40 or %25, as libpq requires ('"
          + redact(url) + "')");
    }
    int authorityEnd = firstOf(rest, '/', '?');
    String authority = rest.substring(0, authorityEnd);
    int at = authority.lastIndexOf('@');
    String hosts = authority.substring(at + 1);
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("a postgresql:// address needs a host (a Unix socket cannot be used): '"
          + redact(url) + "'");
    }
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      if (colon >= 0) {
        password = decode(userInfo.substring(colon + 1));
      }
    }
    return new Destination("jdbc:postgresql://" + hosts + rest.substring(authorityEnd), user, password);
  }

  /** The address with its passwords hidden ({@code password=***}, {@code user:***@}), for messages. */
  public static String redact(String url) {
    if (url == null) {
      return null;
    }
    String redacted = PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
    Matcher password = URI_PASSWORD.matcher(redacted);
    return password.find() ? password.replaceAll("$1***@") : URI_PASSWORD_UNESCAPED.matcher(redacted).replaceAll("$1***@");
  }

  /**
   * The password an address holds, as the driver reads it and as the address writes it ({@code
   * p%40ss} and {@code p@ss}): the forms a worker that prints the address, or its password, shows.
   * None for null, for an address without a password or for one that cannot be read.
   */
  public static List<String> passwordsIn(String url) {
    if (url == null) {
      return List.of();
    }
    Matcher parameter = PASSWORD_PARAMETER.matcher(url);
    List<String> passwords = new ArrayList<>();
    while (parameter.find()) {   // password=, and a key's sslpassword=
      String written = url.substring(parameter.end(1), parameter.end());
      passwords.add(written);
      passwords.add(decodedOrAsWritten(written));
    }
    if (!passwords.isEmpty()) {
      return passwords;
    }
    if (isPostgres(url) && !url.startsWith(JDBC_PREFIX)) {
      try {
        String password = destination(url, null, null).password();
        if (password != null) {
          String rest = url.substring(url.indexOf("://") + 3);
          String authority = rest.substring(0, firstOf(rest, '/', '?'));
          String userInfo = authority.substring(0, authority.lastIndexOf('@'));
          return List.of(password, userInfo.substring(userInfo.indexOf(':') + 1));
        }
      } catch (IllegalArgumentException unreadable) {
        return List.of();   // heartlog says so itself, and connects with nothing
      }
    }
    return List.of();
  }

  private static String decodedOrAsWritten(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return text;
    }
  }

  private static int firstOf(String text, char a, char b) {
    int ia = text.indexOf(a);
    int ib = text.indexOf(b);
    if (ia < 0) {
      return ib < 0 ? text.length() : ib;
    }
    return ib < 0 ? ia : Math.min(ia, ib);
  }

  /** Percent-escapes decoded; a {@code +} stays a plus, as libpq reads it. */
  private static String decode(String text) {
    try {
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the user or password of a postgresql:// address has a % that starts no %XX escape: write % as %25", e);
    }
  }
}
