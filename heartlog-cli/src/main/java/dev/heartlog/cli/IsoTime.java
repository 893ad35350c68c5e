package dev.heartlog.cli;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Reads the times structured loggers write, ISO-8601 with an offset ({@code
 * 2026-11-29T18:38:07.123+01:00}, {@code ...Z}, a space for the {@code T} as Python's {@code
 * str(datetime)} writes it), as {@link OffsetDateTime#parse} does, digit by digit: a logger that
 * prints a time on every line would otherwise spend most of heartlog run's time per line in the
 * formatter (BENCHMARKS.md §7). A text of another shape goes to {@link OffsetDateTime#parse}.
 */
final class IsoTime {

  private IsoTime() {}

  /** The instant {@code text} writes, or null where it is not a time with an offset. */
  static Instant parse(String text) {
    String trimmed = text.trim();
    Instant fast = digits(trimmed);
    if (fast != null) {
      return fast;
    }
    try {
      return OffsetDateTime.parse(trimmed.replace(' ', 'T')).toInstant();
    } catch (DateTimeParseException notIso) {
      return null;
    }
  }

  /**
   * {@code yyyy-MM-dd?HH:mm:ss}, {@code ?} a {@code T} or a space, then up to nine digits of a
   * fraction after a dot, then {@code Z} or {@code +HH:MM} / {@code -HH:MM}; null for anything
   * else, including a date or an offset out of range (the slow path then says no as well).
   */
  private static Instant digits(String t) {
    int length = t.length();
    if (length < 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || (t.charAt(10) != 'T' && t.charAt(10) != ' ')
        || t.charAt(13) != ':' || t.charAt(16) != ':') {
      return null;
    }
    int year = number(t, 0, 4);
    int month = number(t, 5, 2);
    int day = number(t, 8, 2);
    int hour = number(t, 11, 2);
    int minute = number(t, 14, 2);
    int second = number(t, 17, 2);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return null;
    }
    int at = 19;
    int nanos = 0;
    if (t.charAt(at) == '.') {
      int start = ++at;
      while (at < length && at - start < 9 && isDigit(t.charAt(at))) {
        nanos = nanos * 10 + (t.charAt(at) - '0');
        at++;
      }
      if (at == start || at < length && isDigit(t.charAt(at))) {
        return null;   // no digits, or more than nine
      }
      for (int i = at - start; i < 9; i++) {
        nanos *= 10;
      }
    }
    int offsetSeconds;
    if (at == length - 1 && t.charAt(at) == 'Z') {
      offsetSeconds = 0;
    } else if (at == length - 6 && (t.charAt(at) == '+' || t.charAt(at) == '-') && t.charAt(at + 3) == ':') {
      int offsetHours = number(t, at + 1, 2);
      int offsetMinutes = number(t, at + 4, 2);
      if (offsetHours < 0 || offsetMinutes < 0 || offsetMinutes > 59 || offsetHours * 60 + offsetMinutes > 18 * 60) {
        return null;   // past ±18:00, as java.time.ZoneOffset
      }
      offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (t.charAt(at) == '-' ? -1 : 1);
    } else {
      return null;
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException noSuchDay) {
      return null;
    }
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second - offsetSeconds, nanos);
  }

  /** The {@code count} digits at {@code at} as a number; -1 where one is not a digit. */
  private static int number(String t, int at, int count) {
    int value = 0;
    for (int i = at; i < at + count; i++) {
      char c = t.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
