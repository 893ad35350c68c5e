package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Log4j 2's reports of itself (its status logger), on stderr, where a worker's {@code log4j2.xml}
 * has an error or asks for them ({@code status="debug"}, {@code -Dlog4j2.debug}): since Log4j
 * 2.24, {@code 2026-12-06T11:37:26.998161290Z main ERROR Unable to locate appender "HEARTLOG" for
 * logger config "root"}, the time in UTC, the thread, the level; and where Log4j's API finds no
 * implementation, or before 2.24 no configuration, {@code ERROR StatusLogger No Log4j 2
 * configuration file found. ...}. The level, the message after it, {@code component} {@code
 * log4j}, the thread in {@code thread} and the time as the record's. Before, each kept its time,
 * thread and level in its message.
 *
 * <p>Log4j writes the time with {@code DateTimeFormatter.ISO_INSTANT}, which leaves off the
 * second's last three digits where they are zeros, and the six after the second where they are:
 * once in about 1,000 reports the time is to the microsecond ({@code 13:39:14.239243Z}). A time
 * of that form, a word and a level is as often a host's line, or a Node worker's (its {@code
 * toISOString()} gives milliseconds), so such a line is read as Log4j's only after a report of
 * nine digits from the same worker; before that it is read as any line of a time and a level.
 *
 * <p>Before 2.24 the status logger's line began {@code 2026-12-06 10:40:01,123 main ERROR}: a line
 * Python's {@code %(asctime)s %(name)s %(levelname)s %(message)s} prints too, a logger's name
 * where the thread is, so it is read as any line of a time and a level (its level read, the rest
 * its message).
 */
final class Log4jStatusLines {

  private static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL");

  /**
   * Since 2.24: the time in UTC, to the nanosecond (nine digits) but where its last digits are
   * zeros, the thread, the level, the message.
   */
  private static final Pattern LINE = Pattern.compile(
      "(?<time>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{3}|\\.\\d{6}|\\.\\d{9})?Z) (?<thread>\\S.{0,199}?) (?<level>"
          + String.join("|", LEVELS) + ") (?<message>.*)");

  /** Where the time's {@code Z} is in a report of nine digits. */
  private static final int NANOSECONDS_ZONE = 29;

  private static final String STATUS_LOGGER = " StatusLogger ";

  /**
   * Whether the worker has printed a report whose time has nine digits, after which a time with
   * fewer is taken as Log4j's too. Its two streams' readers share it.
   */
  private volatile boolean reported;

  /** The line's record, or null where it is no report of Log4j's. */
  ChildLineParser.Parsed parse(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.length() < 24) {
      return null;
    }
    char first = line.charAt(0);
    if (first >= '0' && first <= '9') {
      int zone = zone(line);
      if (zone < 0 || line.length() < zone + 7 || line.charAt(10) != 'T') {
        return null;
      }
      Matcher matcher = LINE.matcher(line);
      if (!matcher.matches()) {
        return null;
      }
      boolean nanoseconds = matcher.end("time") - 1 == NANOSECONDS_ZONE;
      if (!nanoseconds && !reported) {
        return null;
      }
      if (nanoseconds) {
        reported = true;
      }
      metadata.put("thread", matcher.group("thread"));
      return report(matcher.group("level"), matcher.group("message"), IsoTime.parse(matcher.group("time")), metadata,
          endsTask);
    }
    int logger = line.startsWith(STATUS_LOGGER, 4) ? 4 : line.startsWith(STATUS_LOGGER, 5) ? 5 : -1;
    if (logger < 0 || !LEVELS.contains(line.substring(0, logger))) {
      return null;
    }
    return report(line.substring(0, logger), line.substring(logger + STATUS_LOGGER.length()), null, metadata, endsTask);
  }

  /**
   * Where a time's {@code Z} may be, followed by a space, or -1: at the nine digits' place, and
   * after a report of nine digits at the six's, the three's or right after the second. A test of
   * a few characters, which spares most lines the pattern.
   */
  private int zone(String line) {
    if (zoneAt(line, NANOSECONDS_ZONE)) {
      return NANOSECONDS_ZONE;
    }
    if (!reported) {
      return -1;
    }
    for (int zone : new int[] {26, 23, 19}) {
      if (zoneAt(line, zone)) {
        return zone;
      }
    }
    return -1;
  }

  private static boolean zoneAt(String line, int index) {
    return line.length() > index + 1 && line.charAt(index) == 'Z' && line.charAt(index + 1) == ' ';
  }

  private static ChildLineParser.Parsed report(String level, String message, Instant time,
      RecordMetadata metadata, Predicate<String> endsTask) {
    metadata.put("component", "log4j");
    return new ChildLineParser.Parsed(Level.fromName(level), message, null, metadata, endsTask.test(message), time);
  }
}
