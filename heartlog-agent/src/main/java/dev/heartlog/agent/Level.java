package dev.heartlog.agent;

import java.util.Locale;

/**
 * The five levels a heartlog store knows, with Python's names because deployed schemas and the
 * seed's Python workers use them.
 *
 * <p>Java levels map TRACE/DEBUG to {@link #DEBUG}, INFO to {@link #INFO}, WARN to
 * {@link #WARNING} and ERROR to {@link #ERROR}; {@link #CRITICAL} comes from the
 * {@link WorkerLog} facade or an explicit choice.
 */
public enum Level {
  DEBUG,
  INFO,
  WARNING,
  ERROR,
  CRITICAL;

  /**
   * Maps a level name from any common logging vocabulary (SLF4J, Log4j, Python, JUL) onto the
   * store's five levels.
   *
   * @param name a level name in any case, for example {@code "warn"}, {@code "SEVERE"}
   * @return the matching level; {@link #INFO} for a name no vocabulary uses, so a record is never
   *     lost for its level
   */
  public static Level fromName(String name) {
    if (name == null) {
      return INFO;
    }
    switch (name.trim().toUpperCase(Locale.ROOT)) {
      case "TRACE":
      case "DEBUG":
      case "FINE":
      case "FINER":
      case "FINEST":
        return DEBUG;
      case "WARN":
      case "WARNING":
        return WARNING;
      case "ERROR":
      case "SEVERE":
        return ERROR;
      case "CRITICAL":
      case "FATAL":
        return CRITICAL;
      default:
        return INFO;
    }
  }

  /** Whether this level is at least as severe as {@code minimum}. */
  public boolean isAtLeast(Level minimum) {
    return compareTo(minimum) >= 0;
  }
}
