package dev.heartlog.server;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The origins of the web pages a browser lets call the server (CORS): an orchestrator's dashboard
 * on {@code https://ops.example.com} that reads a task's records from the query API, or follows
 * the live tail. A browser sends a page's calls to another origin only when the server names that
 * origin in its answers; the key is still needed for every call.
 *
 * <p>An origin is written as the browser's {@code location.origin} shows it: scheme, host and the
 * port when it is not the scheme's own ({@code http://localhost:3000}), no path and no slash at
 * the end, which no browser sends and so would match nothing. {@code *} lets every origin call.
 */
final class CorsOrigins {

  /** Every origin. */
  static final String ANY = "*";

  private static final Pattern ORIGIN = Pattern.compile("[a-z][a-z0-9+.-]*://[^/?#\\s@]+");

  private CorsOrigins() {}

  /**
   * The origins, each checked and in lower case as browsers send them.
   *
   * @throws IllegalArgumentException naming the first that is no origin, and what would be
   */
  static List<String> checked(List<String> origins) {
    return origins.stream().map(String::strip).filter(o -> !o.isEmpty()).map(CorsOrigins::checked).distinct().toList();
  }

  private static String checked(String origin) {
    String lower = origin.toLowerCase(Locale.ROOT);
    if (lower.equals(ANY) || ORIGIN.matcher(lower).matches()) {
      return lower;
    }
    int path = lower.indexOf('/', lower.indexOf("://") + 3);
    String hint = !lower.contains("://") ? "with its scheme: http://" + origin
        : path > 0 ? "without a path or a slash at the end: " + origin.substring(0, path)
        : "scheme://host[:port]";
    throw new IllegalArgumentException("CORS origin '" + origin + "' is no origin; give it as the page's "
        + "location.origin shows it, " + hint);
  }
}
