package dev.heartlog.agent;

import java.util.Locale;
import java.util.Optional;

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
    return name == null ? INFO : named(name).orElse(INFO);
  }

  /**
   * The level a name from any common logging vocabulary means, as {@link #fromName} maps it, or
   * empty for a name none uses: for what a person typed ({@code --level severe}), where a typo
   * should be said rather than read as INFO.
   *
   * @param name a level name in any case, surrounding blanks ignored
   */
  public static Optional<Level> named(String name) {
    switch (name.trim().toUpperCase(Locale.ROOT)) {
      case "TRACE":
      case "DEBUG":
      case "FINE":
      case "FINER":
      case "FINEST":
        return Optional.of(DEBUG);
      case "INFO":
      case "CONFIG":
        return Optional.of(INFO);
      case "WARN":
      case "WARNING":
        return Optional.of(WARNING);
      case "ERROR":
      case "SEVERE":
        return Optional.of(ERROR);
      case "CRITICAL":
      case "FATAL":
        return Optional.of(CRITICAL);
      default:
        return Optional.empty();
    }
  }

  /** Whether this level is at least as severe as {@code minimum}. */
  public boolean isAtLeast(Level minimum) {
    return compareTo(minimum) >= 0;
  }
}
