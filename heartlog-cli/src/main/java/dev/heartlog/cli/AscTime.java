package dev.heartlog.cli;

import java.time.Instant;
import java.util.List;

/**
 * The times that loggers print before a line's level, most of them without a zone: Python's {@code
 * %(asctime)s} by default ({@code 2026-12-07 04:35:55,123}; Logback's and Log4j2's {@code %d}
 * print that shape too), and in the shapes of the {@code datefmt} that Python's documentation
 * and the tutorials workers copy give it:
 *
 * <ul>
 *   <li>{@code %H:%M:%S}, the time of day alone ({@code 04:35:55}), with the milliseconds a
 *       format adds after it ({@code %(asctime)s.%(msecs)03d}, {@code 04:35:55.123});
 *   <li>{@code %m/%d/%Y %I:%M:%S %p}, the logging HOWTO's ({@code 12/07/2026 04:35:55 AM}), and
 *       the 24-hour {@code %m/%d/%Y %H:%M:%S} of Hugging Face's example scripts;
 *   <li>{@code %d-%b-%y %H:%M:%S} ({@code 07-Dec-26 04:35:55});
 *   <li>{@code %m-%d %H:%M}, the logging cookbook's, with no seconds ({@code 12-07 04:35});
 *   <li>{@code %Y-%m-%d:%H:%M:%S}, a colon between the day and the time, which a much copied
 *       format gives with {@code %(asctime)s,%(msecs)d %(levelname)-8s [%(filename)s:%(lineno)d]
 *       %(message)s} ({@code 2026-12-07:04:35:55,123}).
 * </ul>
 *
 * A date and time may end in its offset from UTC ({@code Z}, {@code +0000} as {@code %z} and
 * Logback's {@code Z} print it, {@code +00:00}): where it is finer than a second too, the
 * record's time is the line's. Otherwise the record keeps the time the line came: the line says
 * no zone, or a time of whole seconds would sort the record before the lines that came earlier
 * in that second.
 */
final class AscTime {

  /** A date and time, the one shape that may end in an offset; written as {@link #SHAPES} are. */
  private static final String ISO = "9999-99-99T99:99:99";

  /**
   * The shapes of the times above, up to their seconds: {@code 9} a digit, {@code A} a capital,
   * {@code a} a small letter, {@code T} a space, a {@code T} or a colon; every other character
   * itself.
   */
  private static final List<String> SHAPES =
      List.of(ISO, "99:99:99", "99/99/9999 99:99:99", "99-Aaa-99 99:99:99", "99-99 99:99");

  private AscTime() {}

  /**
   * How long the time at {@code start} of {@code line} is, in one of the shapes above, with the
   * fraction of a second (up to nine digits), the offset after a date's, and the {@code AM} or
   * {@code PM} after its seconds; -1 where none begins there. Read by hand, and the patterns
   * that read the rest of a line start after it: with these shapes in each pattern instead, a
   * line of Python's dashed format took 1.2 to 1.3 times as long as before; read so, lines of
   * the default time take 0.7 to 1.0 (BENCHMARKS.md §7).
   */
  static int lengthAt(String line, int start) {
    for (String shape : SHAPES) {
      if (!hasShapeAt(line, start, shape)) {
        continue;
      }
      int end = start + shape.length();
      if (!shape.endsWith(":99:99")) {
        return end - start;   // the cookbook's, to the minute
      }
      boolean fraction = line.startsWith(".", end) || line.startsWith(",", end);
      if (fraction && end + 1 < line.length() && isDigit(line.charAt(end + 1))) {
        int fractionEnd = Math.min(line.length(), end + 10);
        end++;
        while (end < fractionEnd && isDigit(line.charAt(end))) {
          end++;
        }
      }
      if (shape == ISO) {
        end += offsetLength(line, end);
      } else if (line.startsWith(" AM", end) || line.startsWith(" PM", end)) {
        end += 3;
      }
      return end - start;
    }
    return -1;
  }

  /**
   * The instant of the time {@link #lengthAt} found at {@code start}, {@code length} long, where it
   * has a fraction of a second and ends in its offset; null for any other.
   */
  static Instant instant(String line, int start, int length) {
    if (!hasShapeAt(line, start, ISO)) {
      return null;
    }
    int end = start + length;
    int offset = start + ISO.length();
    boolean comma = offset < end && line.charAt(offset) == ',';
    if (!comma && (offset == end || line.charAt(offset) != '.')) {
      return null;   // whole seconds
    }
    do {
      offset++;
    } while (offset < end && isDigit(line.charAt(offset)));
    if (offset == end) {
      return null;   // no offset
    }
    StringBuilder text = new StringBuilder(length + 1).append(line, start, end);
    text.setCharAt(10, 'T');   // where a space or a colon may be
    if (comma) {
      text.setCharAt(ISO.length(), '.');
    }
    if (end - offset == 5) {
      text.insert(text.length() - 2, ':');   // +0000 as +00:00
    }
    return IsoTime.parse(text.toString());
  }

  /** How long the offset from UTC at {@code at} is: {@code Z}, {@code +0000}, {@code +00:00}; 0 where none is. */
  private static int offsetLength(String line, int at) {
    if (line.startsWith("Z", at)) {
      return 1;
    }
    if (at + 5 > line.length() || line.charAt(at) != '+' && line.charAt(at) != '-'
        || !isDigit(line.charAt(at + 1)) || !isDigit(line.charAt(at + 2))) {
      return 0;
    }
    int minutes = line.charAt(at + 3) == ':' ? at + 4 : at + 3;
    if (minutes + 2 > line.length() || !isDigit(line.charAt(minutes)) || !isDigit(line.charAt(minutes + 1))) {
      return 0;
    }
    return minutes + 2 - at;
  }

  private static boolean hasShapeAt(String line, int start, String shape) {
    if (line.length() < start + shape.length()) {
      return false;
    }
    for (int i = 0; i < shape.length(); i++) {
      char c = line.charAt(start + i);
      boolean fits = switch (shape.charAt(i)) {
        case '9' -> isDigit(c);
        case 'A' -> c >= 'A' && c <= 'Z';
        case 'a' -> c >= 'a' && c <= 'z';
        case 'T' -> c == ' ' || c == 'T' || c == ':';
        default -> c == shape.charAt(i);
      };
      if (!fits) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
