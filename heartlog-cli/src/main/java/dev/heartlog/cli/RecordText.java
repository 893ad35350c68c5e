package dev.heartlog.cli;

import dev.heartlog.store.StoredRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How records and times read in the terminal. Times are UTC, with microseconds. */
final class RecordText {

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter SECOND =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  private RecordText() {}

  /** {@code 2026-11-27 22:00:01.000001Z  ERROR     gpu-1  [task t-1]  message}. */
  static String line(StoredRecord record) {
    StringBuilder line = new StringBuilder(128)
        .append(TIMESTAMP.format(record.timestamp())).append("  ")
        .append(String.format("%-8s", record.level())).append("  ")
        .append(record.workerId());
    if (record.taskId() != null) {
      line.append("  [task ").append(record.taskId()).append(']');
    }
    return line.append("  ").append(record.message()).toString();
  }

  /** A record in a timeline that already names the worker and task: time, level, message. */
  static String timelineLine(StoredRecord record) {
    return TIMESTAMP.format(record.timestamp()) + "  " + String.format("%-8s", record.level()) + "  " + record.message();
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

  /** {@code 3s}, {@code 4m 10s}, {@code 2h 5m}. */
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

  static String span(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds < 60) {
      return duration.toMillis() < 10_000 && seconds < 10
          ? String.format("%.1fs", duration.toMillis() / 1000.0)
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
