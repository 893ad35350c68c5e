package dev.heartlog.agent;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP proxy the environment names for a URL, read as curl and Python's requests read it:
 * {@code https_proxy} (or {@code HTTPS_PROXY}) for an https URL, {@code http_proxy} (or {@code
 * HTTP_PROXY}) for an http one, none for a host {@code no_proxy} (or {@code NO_PROXY}) lists. The
 * JDK's HTTP client reads only its own system properties ({@code https.proxyHost}), so a worker
 * behind an egress proxy reached the store from Python and curl but not from heartlog.
 *
 * <p>{@code no_proxy} entries, separated by commas: {@code *} for every host; a name, which covers
 * its subdomains too (a leading dot is the same); an IPv4 address or range ({@code 10.0.0.0/8}).
 * A port after an entry is ignored.
 */
final class EnvironmentProxy {

  private EnvironmentProxy() {}

  /**
   * The proxy for {@code target}, or empty for a direct connection.
   *
   * @throws IllegalArgumentException when the variable holds no host, names an https proxy (the
   *     JDK's client reaches proxies over plain HTTP only) or carries credentials
   */
  static Optional<InetSocketAddress> forTarget(URI target, Map<String, String> environment) {
    String scheme = target.getScheme() == null ? "http" : target.getScheme().toLowerCase(Locale.ROOT);
    String name = scheme.equals("https") ? "https_proxy" : "http_proxy";
    String proxy = variable(environment, name);
    if (proxy == null || proxy.isBlank() || bypasses(target.getHost(), variable(environment, "no_proxy"))) {
      return Optional.empty();
    }
    return Optional.of(address(name, proxy.strip()));
  }

  /** The lower-case variable, else the upper-case one, as curl reads them. */
  private static String variable(Map<String, String> environment, String lowerCaseName) {
    String value = environment.get(lowerCaseName);
    return value != null ? value : environment.get(lowerCaseName.toUpperCase(Locale.ROOT));
  }

  private static InetSocketAddress address(String variable, String proxy) {
    URI uri = URI.create(proxy.contains("://") ? proxy : "http://" + proxy);
    if (!"http".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException(variable + " is " + uri.getScheme() + "://...: heartlog reaches a proxy "
          + "over plain http only (http://host:port)");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException(variable + " names no proxy host; expected http://host:port");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(variable + " carries a user and password, which heartlog does not send to "
          + "a proxy: give the transport an HttpClient with the JDK's proxy authentication instead");
    }
    return InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort() == -1 ? 80 : uri.getPort());
  }

  /** Whether {@code noProxy} lists {@code host}. */
  static boolean bypasses(String host, String noProxy) {
    if (host == null || noProxy == null) {
      return false;
    }
    String wanted = host.toLowerCase(Locale.ROOT);
    wanted = wanted.startsWith("[") && wanted.endsWith("]") ? wanted.substring(1, wanted.length() - 1) : wanted;
    for (String entry : noProxy.split("[,\\s]+")) {
      String listed = withoutPort(entry.strip().toLowerCase(Locale.ROOT));
      listed = listed.startsWith(".") ? listed.substring(1) : listed;
      if (listed.isEmpty()) {
        continue;
      }
      if (listed.equals("*") || wanted.equals(listed) || wanted.endsWith("." + listed) || inRange(wanted, listed)) {
        return true;
      }
    }
    return false;
  }

  private static String withoutPort(String entry) {
    int colon = entry.lastIndexOf(':');
    boolean oneColon = colon > 0 && entry.indexOf(':') == colon;   // an IPv6 address has several
    return oneColon && entry.substring(colon + 1).chars().allMatch(Character::isDigit) ? entry.substring(0, colon) : entry;
  }

  /** Whether {@code host} is an IPv4 address within the range {@code a.b.c.d/n}. */
  private static boolean inRange(String host, String range) {
    int slash = range.indexOf('/');
    if (slash < 0) {
      return false;
    }
    long address = ipv4(host);
    long network = ipv4(range.substring(0, slash));
    int bits;
    try {
      bits = Integer.parseInt(range.substring(slash + 1));
    } catch (NumberFormatException e) {
      return false;
    }
    if (address < 0 || network < 0 || bits < 0 || bits > 32) {
      return false;
    }
    long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
    return (address & mask) == (network & mask);
  }

  /** An IPv4 address as a number, or -1 when the text is not one. */
  private static long ipv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return -1;
    }
    long value = 0;
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
        return -1;
      }
      int octet = Integer.parseInt(part);
      if (octet > 255) {
        return -1;
      }
      value = value << 8 | octet;
    }
    return value;
  }
}
