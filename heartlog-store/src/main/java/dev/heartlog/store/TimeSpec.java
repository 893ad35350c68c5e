package dev.heartlog.store;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A point in time as people type it in {@code --since}/{@code --until} and the query API: an age
 * ({@code 30s}, {@code 15m}, {@code 2h}, {@code 1d}, or several added up, {@code 1h30m}: that long
 * ago), a timestamp ({@code 2026-11-27T22:00:00Z}, {@code 2026-11-27 22:00}, {@code 2026-11-27}),
 * a time of day ({@code 10:50}, {@code 10:50:30}: its last time, today's or, if that is still to
 * come, yesterday's, as in an incident one types the time a graph showed), or {@code today} or
 * {@code yesterday} (their midnight). All UTC unless they carry an offset ({@code 10:50+01:00}),
 * as the records are listed.
 */
public final class TimeSpec {

  /** One part of an age; an age is one or more, read one after the other ({@link #isAge}). */
  private static final Pattern AGE_PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  /** {@code 10:50}, {@code 9:50:30.5}, {@code 10:50+01:00}: what {@link #lastTimeOfDay} reads. */
  private static final Pattern TIME_OF_DAY =
      Pattern.compile("(?<time>\\d{1,2}:\\d\\d(?::\\d\\d(?:\\.\\d+)?)?)(?<offset>Z|[+-]\\d\\d:\\d\\d)?");

  /** The first and last times read: years of four digits, which every store holds. */
  private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

  private TimeSpec() {}

  /**
   * @throws IllegalArgumentException when the text is none of these, or its time is outside the
   *     years 0001 to 9999 (an age that reaches back further than that is too long)
   */
  public static Instant parse(String text, Clock clock) {
    String value = text.trim();
    if (isAge(value)) {
      try {
        Instant then = clock.instant().minus(age(value));
        if (!then.isBefore(EARLIEST)) {
          return then;
        }
      } catch (ArithmeticException | DateTimeException | NumberFormatException e) {
        // Too long an age for Java: said below.
      }
      throw new IllegalArgumentException("'" + text + "' is too long an age");
    }
    Instant time = timestamp(text, value, clock);
    if (time.isBefore(EARLIEST) || time.isAfter(LATEST)) {
      // Java reads years up to a billion; PostgreSQL refuses them (timestamp out of range), and
      // a query's default range, 48 hours before its end, went below Java's own (a 500).
      throw new IllegalArgumentException("'" + text + "' is outside the years 0001 to 9999");
    }
    return time;
  }

  /** The text as a timestamp, a time of day, today or yesterday. */
  private static Instant timestamp(String text, String value, Clock clock) {
    switch (value.toLowerCase(Locale.ROOT)) {
      case "today":
        return LocalDate.now(clock.withZone(ZoneOffset.UTC)).atStartOfDay().toInstant(ZoneOffset.UTC);
      case "yesterday":
        return LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
      default:
        break;
    }
    Matcher timeOfDay = TIME_OF_DAY.matcher(value);
    if (timeOfDay.matches()) {
      return lastTimeOfDay(timeOfDay, clock);
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
      throw new IllegalArgumentException("'" + text + "' is neither an age (30s, 15m, 2h, 1d, 1h30m), a timestamp "
          + "(2026-11-27T22:00:00Z), a time of day (22:00, UTC) nor today or yesterday");
    }
  }

  /** The last time the clock showed this time of day, in its offset: today's, else yesterday's. */
  private static Instant lastTimeOfDay(Matcher timeOfDay, Clock clock) {
    String time = timeOfDay.group("time");
    String offset = timeOfDay.group("offset");
    OffsetTime asked;
    try {
      asked = LocalTime.parse(time.indexOf(':') == 1 ? "0" + time : time)   // 9:50 as 09:50
          .atOffset(offset == null ? ZoneOffset.UTC : ZoneOffset.of(offset));
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("'" + timeOfDay.group() + "' is not a time of day (22:00, 22:00:30, 22:00+01:00)");
    }
    Instant now = clock.instant();
    Instant today = asked.atDate(now.atOffset(asked.getOffset()).toLocalDate()).toInstant();
    return today.isAfter(now) ? today.minus(Duration.ofDays(1)) : today;
  }

  /**
   * A length of time written as an age is: {@code 48h}, {@code 7d}, {@code 1d12h}; its unit is
   * required. For {@code --retention}, where a bare {@code 48} would be read as seconds.
   *
   * @throws IllegalArgumentException naming {@code setting} when the text is not such a length
   */
  public static Duration length(String setting, String text) {
    String value = text.trim();
    if (isAge(value)) {
      try {
        return age(value);
      } catch (ArithmeticException | NumberFormatException e) {
        throw new IllegalArgumentException(setting + " is too long (got '" + text + "')");
      }
    }
    throw new IllegalArgumentException(
        setting + " must be a length of time with its unit, such as 48h, 7d or 1d12h (got '" + text + "')");
  }

  /**
   * Whether the text is an age: parts one right after the other. Read a part at a time, not as
   * one expression repeating a part, which Java matches a call deeper for each part: an age of
   * 3,000 parts ({@code --since 1s1s...}, a query parameter of 6 KB) overflowed the stack, and
   * the API answered 500.
   */
  private static boolean isAge(String value) {
    Matcher part = AGE_PART.matcher(value);
    int at = 0;
    while (at < value.length()) {
      if (!part.region(at, value.length()).lookingAt()) {
        return false;
      }
      at = part.end();
    }
    return at > 0;
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
