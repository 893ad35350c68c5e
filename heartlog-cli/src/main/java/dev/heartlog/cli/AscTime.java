package dev.heartlog.cli;

import java.time.Instant;
import java.util.Set;

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
 *       %(message)s} ({@code 2026-12-07:04:35:55,123});
 *   <li>{@code %a, %d %b %Y %H:%M:%S}, the example of Python 2's logging documentation, which
 *       tutorials still copy with {@code %(filename)s[line:%(lineno)d]} ({@code Mon, 07 Dec 2026
 *       04:35:55}), and {@code %d %b %Y %H:%M:%S} ({@code 07 Dec 2026 04:35:55});
 *   <li>{@code %b %d %H:%M:%S}, syslog's ({@code Dec 07 04:35:55});
 *   <li>{@code %c}, the locale's date and time, as the C locale prints it ({@code Mon Dec  7
 *       04:35:55 2026}, the day padded with a space).
 * </ul>
 *
 * A date and time may end in its zone: its offset from UTC ({@code Z}, {@code +0000} as {@code
 * %z} and Logback's {@code Z} print it, {@code +00:00}), or after a space that offset or the
 * zone's name ({@code %Y-%m-%d %H:%M:%S %Z}: {@code 2026-12-07 04:35:55 UTC}, {@link
 * #ZONE_NAMES}). Where the time is finer than a second and its zone an offset, {@code UTC} or
 * {@code GMT}, the record's time is the line's. Otherwise the record keeps the time the line
 * came: the line says no zone, its zone's name may stand for more than one offset ({@code IST},
 * {@code CST}), or a time of whole seconds would sort the record before the lines that came
 * earlier in that second.
 *
 * <p>The milliseconds may come twice: {@code %(asctime)s,%(msecs)03d} without a {@code datefmt}
 * prints {@code 2026-12-07 04:35:55,123,123}, since the default time has them already.
 */
final class AscTime {

  /** A date and time, the one shape that may end in its zone; written as {@link #NUMBERED} are. */
  private static final String ISO = "9999-99-99T99:99:99";

  /**
   * The shapes of the times above that begin with a digit, up to their seconds: {@code 9} a
   * digit, {@code _} a digit or a space, {@code A} a capital, {@code a} a small letter, {@code T}
   * a space, a {@code T} or a colon; every other character itself.
   */
  private static final String[] NUMBERED = {ISO, "99:99:99", "99/99/9999 99:99:99",
      "99-Aaa-99 99:99:99", "99-99 99:99", "99 Aaa 9999 99:99:99"};

  /**
   * The shapes that begin with a day's or a month's name, written so: tried only on a line that
   * begins as they do ({@link #beginsWithName}), so that lines that begin with a word ({@code
   * WARNING disk full}, {@code Loading checkpoint shards}, {@code The render finished}) are
   * turned away at once.
   */
  private static final String[] NAMED = {"Aaa, 99 Aaa 9999 99:99:99", "Aaa 99 99:99:99", "Aaa Aaa _9 99:99:99 9999"};

  private static final String[] NONE = {};

  /**
   * The names of zones that Python's {@code %Z} and Logback's {@code z} print after a time: the
   * abbreviations of the tz database's zones where most fleets run. A word of capitals not in it
   * after a time is no zone ({@code 2026-12-07 04:35:55 GPU WARNING ...}: the logger {@code GPU}).
   */
  private static final Set<String> ZONE_NAMES = Set.of(
      "UTC", "GMT", "WET", "WEST", "BST", "IST", "CET", "CEST", "EET", "EEST", "MSK",
      "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT", "AKST", "AKDT", "HST", "AST", "ADT",
      "NST", "NDT", "JST", "KST", "HKT", "PKT", "WIB", "WITA", "WIT", "IDT", "SAST", "CAT", "EAT",
      "WAT", "AEST", "AEDT", "ACST", "ACDT", "AWST", "NZST", "NZDT");

  private AscTime() {}

  /**
   * How long the time at {@code start} of {@code line} is, in one of the shapes above, with the
   * fraction of a second (up to nine digits), the zone after a date's, and the {@code AM} or
   * {@code PM} after its seconds; -1 where none begins there. Read by hand, and the patterns
   * that read the rest of a line start after it: with these shapes in each pattern instead, a
   * line of Python's dashed format took 1.2 to 1.3 times as long as before; read so, lines of
   * the default time take 0.7 to 1.0 (BENCHMARKS.md §7).
   */
  static int lengthAt(String line, int start) {
    if (line.length() < start + 11) {
      return -1;   // shorter than the shortest shape
    }
    String[] shapes = isDigit(line.charAt(start)) ? NUMBERED : beginsWithName(line, start) ? NAMED : NONE;
    for (String shape : shapes) {
      if (!hasShapeAt(line, start, shape)) {
        continue;
      }
      int end = start + shape.length();
      if (!shape.endsWith(":99:99")) {
        return end - start;   // the cookbook's, to the minute; %c's, which ends in the year
      }
      int fractionEnd = fractionEnd(line, end);
      if (fractionEnd - end == 4 && line.charAt(end) == ',' && fractionEnd(line, fractionEnd) - fractionEnd == 4
          && line.regionMatches(end, line, fractionEnd, 4)) {
        return fractionEnd + 4 - start;   // ",123,123": %(asctime)s,%(msecs)03d without a datefmt
      }
      end = fractionEnd;
      if (shape == ISO) {
        end += zoneLength(line, end);
      } else if (line.startsWith(" AM", end) || line.startsWith(" PM", end)) {
        end += 3;
      }
      return end - start;
    }
    return -1;
  }

  /**
   * The instant of the time {@link #lengthAt} found at {@code start}, {@code length} long, where it
   * has a fraction of a second and ends in its offset, {@code UTC} or {@code GMT}; null for any
   * other.
   */
  static Instant instant(String line, int start, int length) {
    if (!hasShapeAt(line, start, ISO)) {
      return null;
    }
    int end = start + length;
    int fraction = start + ISO.length();
    int fractionEnd = fractionEnd(line, fraction);
    if (fractionEnd == fraction || fractionEnd == end) {
      return null;   // whole seconds, or no zone
    }
    int zone = line.charAt(fractionEnd) == ' ' ? fractionEnd + 1 : fractionEnd;
    String offset = line.substring(zone, end);
    if (offset.equals("UTC") || offset.equals("GMT")) {
      offset = "Z";
    } else if (offset.length() == 5 && offset.charAt(0) != 'Z') {
      offset = offset.substring(0, 3) + ':' + offset.substring(3);   // +0000 as +00:00
    } else if (offset.length() != 6 && !offset.equals("Z")) {
      return null;   // a zone's name, or an offset of hours alone
    }
    StringBuilder text = new StringBuilder(ISO.length() + 16).append(line, start, fractionEnd).append(offset);
    text.setCharAt(10, 'T');   // where a space or a colon may be
    text.setCharAt(ISO.length(), '.');   // where a comma may be
    return IsoTime.parse(text.toString());
  }

  /**
   * Where the message begins after a time in brackets, in a shape above, and a space at the line's
   * start ({@code [2026-05-15 08:39:19] server_args=ServerArgs(...)}, Python's logging given {@code
   * [%(asctime)s] %(message)s}); 0 where the line begins with no such time, nothing follows it, or
   * a bracket does: the fields of a format heartlog does not read ({@code [750] [NOTICE] ...}),
   * whose line is kept whole.
   */
  static int afterBracketedTime(String line) {
    if (line.isEmpty() || line.charAt(0) != '[') {
      return 0;   // most lines
    }
    int length = lengthAt(line, 1);
    int close = 1 + length;
    if (length < 0 || close + 2 >= line.length() || line.charAt(close) != ']' || line.charAt(close + 1) != ' '
        || "[{(".indexOf(line.charAt(close + 2)) >= 0) {
      return 0;
    }
    for (int at = close + 2; at < line.length(); at++) {
      if (!Character.isWhitespace(line.charAt(at))) {
        return close + 2;
      }
    }
    return 0;   // a time alone
  }

  /** Where the fraction of a second at {@code at} ends: after its dot or comma and digits, up to nine; {@code at} where none is. */
  private static int fractionEnd(String line, int at) {
    if (at + 1 >= line.length() || line.charAt(at) != '.' && line.charAt(at) != ',' || !isDigit(line.charAt(at + 1))) {
      return at;
    }
    int end = at + 1;
    int longest = Math.min(line.length(), at + 10);
    while (end < longest && isDigit(line.charAt(end))) {
      end++;
    }
    return end;
  }

  /**
   * How long the zone at {@code at} is: an offset from UTC ({@code Z}, {@code +0000}, {@code
   * +00:00}), or after a space such an offset, one of hours alone ({@code +03}, as {@code %Z}
   * names a zone that has no abbreviation) or a zone's name ({@link #ZONE_NAMES}) that a space, a
   * bracket, a pipe or the line's end follows; 0 where none is.
   */
  private static int zoneLength(String line, int at) {
    int joined = offsetLength(line, at);
    if (joined > 0 || !line.startsWith(" ", at) || at + 3 >= line.length()) {
      return joined;
    }
    int nameEnd = at + 1;
    while (nameEnd < line.length() && nameEnd - at <= 5 && line.charAt(nameEnd) >= 'A' && line.charAt(nameEnd) <= 'Z') {
      nameEnd++;
    }
    int after = nameEnd;
    if (nameEnd == at + 1) {
      int offset = offsetLength(line, at + 1);
      after = at + 1 + (offset > 0 ? offset : hoursLength(line, at + 1));
    } else if (!ZONE_NAMES.contains(line.substring(at + 1, nameEnd))) {
      return 0;
    }
    boolean ends = after == line.length() || " ]|".indexOf(line.charAt(after)) >= 0;
    return after > at + 1 && ends ? after - at : 0;
  }

  /** How long the offset from UTC at {@code at} is: {@code Z}, {@code +0000}, {@code +00:00}; 0 where none is. */
  private static int offsetLength(String line, int at) {
    if (line.startsWith("Z", at)) {
      return 1;
    }
    int hours = hoursLength(line, at);
    if (hours == 0) {
      return 0;
    }
    int minutes = line.startsWith(":", at + 3) ? at + 4 : at + 3;
    if (minutes + 2 > line.length() || !isDigit(line.charAt(minutes)) || !isDigit(line.charAt(minutes + 1))) {
      return 0;
    }
    return minutes + 2 - at;
  }

  /** 3 where a sign and the two digits of an offset's hours are at {@code at}; 0 where they are not. */
  private static int hoursLength(String line, int at) {
    boolean signed = at + 3 <= line.length() && (line.charAt(at) == '+' || line.charAt(at) == '-');
    return signed && isDigit(line.charAt(at + 1)) && isDigit(line.charAt(at + 2)) ? 3 : 0;
  }

  /**
   * Whether {@code line} begins at {@code start} as a time of the {@link #NAMED} shapes may: a
   * capital, two more characters, then a comma ({@code Mon, 07}), or a space and two digits
   * ({@code Dec 07}) or a capital and a small letter ({@code Mon Dec}).
   */
  private static boolean beginsWithName(String line, int start) {
    char first = line.charAt(start);
    char fourth = line.charAt(start + 3);
    char fifth = line.charAt(start + 4);
    char sixth = line.charAt(start + 5);
    return first >= 'A' && first <= 'Z' && (fourth == ',' || fourth == ' '
        && (isDigit(fifth) && isDigit(sixth) || fifth >= 'A' && fifth <= 'Z' && sixth >= 'a' && sixth <= 'z'));
  }

  private static boolean hasShapeAt(String line, int start, String shape) {
    if (line.length() < start + shape.length()) {
      return false;
    }
    for (int i = 0; i < shape.length(); i++) {
      char c = line.charAt(start + i);
      boolean fits = switch (shape.charAt(i)) {
        case '9' -> isDigit(c);
        case '_' -> c == ' ' || isDigit(c);
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
