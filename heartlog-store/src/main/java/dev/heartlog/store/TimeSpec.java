package dev.heartlog.store;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A point in time as people type it in {@code --since}/{@code --until} and the query API: an age
 * ({@code 30s}, {@code 15m}, {@code 2h}, {@code 1d}, or several added up, {@code 1h30m}: that long
 * ago) or a timestamp ({@code 2026-11-27T22:00:00Z}, {@code 2026-11-27 22:00}, {@code 2026-11-27};
 * UTC unless it carries an offset).
 */
public final class TimeSpec {

  private static final Pattern AGE = Pattern.compile("(?:\\d+(?:ms|s|m|h|d))+");
  private static final Pattern AGE_PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private TimeSpec() {}

  /**
   * @throws IllegalArgumentException when the text is neither an age nor a timestamp, or an age
   *     reaches back further than a time can
   */
  public static Instant parse(String text, Clock clock) {
    String value = text.trim();
    if (AGE.matcher(value).matches()) {
      try {
        return clock.instant().minus(age(value));
      } catch (ArithmeticException | DateTimeException | NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' is too long an age");
      }
    }
    String iso = value.replace(' ', 'T');
    try {
      return OffsetDateTime.parse(iso).toInstant();
    } catch (DateTimeParseException notWithOffset) {
      // Try the forms without an offset, read as UTC.
    }
    try {
      return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException notLocal) {
      // Try a bare date.
    }
    try {
      return LocalDate.parse(iso).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is neither an age (30s, 15m, 2h, 1d, 1h30m) nor a timestamp (2026-11-27T22:00:00Z)");
    }
  }

  /**
   * A length of time written as an age is: {@code 48h}, {@code 7d}, {@code 1d12h}; its unit is
   * required. For {@code --retention}, where a bare {@code 48} would be read as seconds.
   *
   * @throws IllegalArgumentException naming {@code setting} when the text is not such a length
   */
  public static Duration length(String setting, String text) {
    String value = text.trim();
    if (AGE.matcher(value).matches()) {
      try {
        return age(value);
      } catch (ArithmeticException | NumberFormatException e) {
        throw new IllegalArgumentException(setting + " is too long (got '" + text + "')");
      }
    }
    throw new IllegalArgumentException(
        setting + " must be a length of time with its unit, such as 48h, 7d or 1d12h (got '" + text + "')");
  }

  /** The parts of an age added up: {@code 1h30m} is 90 minutes. */
  private static Duration age(String value) {
    Duration total = Duration.ZERO;
    Matcher part = AGE_PART.matcher(value);
    while (part.find()) {
      long amount = Long.parseLong(part.group(1));
      total = total.plus(switch (part.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      });
    }
    return total;
  }
}
