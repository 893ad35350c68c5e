package dev.heartlog.cli;

import dev.heartlog.store.StoredRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;

/** How records and times read in the terminal. Times are UTC, with microseconds. */
final class RecordText {

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter SECOND =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  private static final Pattern LINE_BREAK = Pattern.compile("\r?\n");

  private RecordText() {}

  /** What a message's further lines, and a stack trace's lines, are indented by below their record. */
  static final String INDENT = "    ";

  /**
   * {@code 2026-11-27 22:00:01.000001Z  ERROR     gpu-1  [task t-1]  message}, a message of
   * several lines with its further lines indented below it.
   */
  static String line(StoredRecord record) {
    return line(record, false);
  }

  /** As {@link #line(StoredRecord)}; with {@code oneLine}, a message's line breaks are written {@code \n}. */
  static String line(StoredRecord record, boolean oneLine) {
    StringBuilder line = new StringBuilder(128)
        .append(TIMESTAMP.format(record.timestamp())).append("  ")
        .append(String.format("%-8s", record.level())).append("  ")
        .append(printable(record.workerId()));
    if (record.taskId() != null) {
      line.append("  [task ").append(printable(record.taskId())).append(']');
    }
    return line.append("  ").append(message(record.message(), oneLine)).toString();
  }

  /** A record in a timeline that already names the worker and task: time, level, message. */
  static String timelineLine(StoredRecord record) {
    return TIMESTAMP.format(record.timestamp()) + "  " + String.format("%-8s", record.level()) + "  "
        + message(record.message(), false);
  }

  /**
   * Text from the store as a terminal may show it. Records come from many workers, and a
   * terminal acts on the control characters it is sent: ESC starts the sequences that recolour,
   * retitle or rewrite it, and one record could hide the records above it. Every control
   * character but the tab (the rest of C0, DEL and C1) is written as {@code \x1b}; line breaks
   * too, so that an id or a line of a stack trace stays one line.
   */
  static String printable(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder shown = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f);
      if (control && shown == null) {
        shown = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (control) {
        shown.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
      } else if (shown != null) {
        shown.append(c);
      }
    }
    return shown == null ? text : shown.toString();
  }

  /**
   * A message {@link #printable}, its lines (after {@code \n} or {@code \r\n}; line breaks at its
   * end left out) indented below the first, or joined by {@code \n}.
   */
  private static String message(String message, boolean oneLine) {
    int end = message.length();
    while (end > 0 && (message.charAt(end - 1) == '\n' || message.charAt(end - 1) == '\r')) {
      end--;
    }
    String text = message.substring(0, end);
    if (text.indexOf('\n') < 0) {
      return printable(text);
    }
    String[] lines = LINE_BREAK.split(text, -1);
    StringBuilder shown = new StringBuilder(message.length() + 8 * lines.length);
    for (int i = 0; i < lines.length; i++) {
      if (i > 0) {
        shown.append(oneLine ? "\\n" : System.lineSeparator() + INDENT);
      }
      shown.append(printable(lines[i]));
    }
    return shown.toString();
  }

  static String timestamp(Instant instant) {
    return instant == null ? "-" : TIMESTAMP.format(instant);
  }

  /** {@code 2026-11-27 22:00:01Z}: a time in a listing, where microseconds are noise. */
  static String second(Instant instant) {
    return instant == null ? "-" : SECOND.format(instant);
  }

  static String clock(Instant instant) {
    return instant == null ? "-" : CLOCK.format(instant);
  }

  /** {@code text} as one word of a shell command to copy: as it is, or in single quotes. */
  static String shellWord(String text) {
    return text.matches("[A-Za-z0-9_./:=@%+,-]+") ? text : "'" + text.replace("'", "'\\''") + "'";
  }

  /** {@code 512 B}, {@code 3.9 KiB}, {@code 61.2 MiB}, {@code 4.2 GiB}: a size in binary units. */
  static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double size = bytes;
    int unit = -1;
    while (size >= 1024 && unit < units.length - 1) {
      size /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", size, units[unit]);
  }

  /** {@code 1 worker}, {@code 1,204 workers}: a count and its noun, made plural with an s. */
  static String count(long n, String noun) {
    return String.format(Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
  }

  static String age(Long seconds) {
    if (seconds == null) {
      return "never";
    }
    return span(Duration.ofSeconds(seconds)) + " ago";
  }

  /** {@code 3.2s}, {@code 45s}, {@code 4m 10s}, {@code 2h 5m}: a duration as the listings print it. */
  static String span(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds < 60) {
      return duration.toMillis() < 10_000 && seconds < 10
          ? String.format(Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0)
          : seconds + "s";
    }
    if (seconds < 3600) {
      return seconds / 60 + "m " + seconds % 60 + "s";
    }
    return seconds / 3600 + "h " + (seconds % 3600) / 60 + "m";
  }

  /** A worker's clock against the store's: {@code 3h 0m behind}, {@code 4.5s ahead}. */
  static String skew(long skewMs) {
    return span(Duration.ofMillis(Math.abs(skewMs))) + (skewMs < 0 ? " behind" : " ahead");
  }

  static String vram(Integer used, Integer total) {
    if (used == null && total == null) {
      return "-";
    }
    return (used == null ? "?" : used) + "/" + (total == null ? "?" : total) + " MiB";
  }
}
