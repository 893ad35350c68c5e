package dev.heartlog.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One kind of error in a time range and where it was made, as {@code heartlog errors --kind} and
 * {@code GET /api/errors/{kind}} show it: the workers it hit and the tasks it was made in, each
 * counted as a kind is ({@link ErrorKind}), the most errors first.
 *
 * @param since the range's start
 * @param until the range's end, or {@code null} for now
 * @param kind the kind, counted over the range
 * @param stackTrace the stack trace of its latest error (of a flood's count, the last record's it
 *     repeats), or {@code null} where it has none
 * @param workers the workers that made its errors, as many as were asked for
 * @param workerCount how many workers made them, those not listed too
 * @param tasks the tasks they were made in, as many as were asked for; the errors made outside a
 *     task are one entry whose {@code taskId} is {@code null}
 * @param taskCount how many entries {@code tasks} would hold without the limit
 * @param spanWidth the width of each span of {@code errorsOverTime}
 * @param errorsOverTime its errors in each span of the range from {@code since}, one after the
 *     other, the last taking any made after the range's end (a worker whose clock runs ahead)
 */
public record ErrorKindDetail(
    Instant since,
    Instant until,
    ErrorKind kind,
    String stackTrace,
    List<ErrorKind> workers,
    long workerCount,
    List<ErrorKind> tasks,
    long taskCount,
    Duration spanWidth,
    List<Long> errorsOverTime) {

  /** Workers and tasks listed when no limit is given. */
  public static final int DEFAULT_LIMIT = 20;

  /** The most spans a range is cut into for {@code errorsOverTime}. */
  public static final int MOST_SPANS = 60;

  private static final List<Duration> SPAN_WIDTHS = List.of(
      Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
      Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
      Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(15), Duration.ofMinutes(30),
      Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(3), Duration.ofHours(6), Duration.ofHours(12),
      Duration.ofDays(1));

  public ErrorKindDetail {
    workers = List.copyOf(workers);
    tasks = List.copyOf(tasks);
    errorsOverTime = List.copyOf(errorsOverTime);
  }

  /**
   * The width of the spans a range (of whole seconds) is cut into: the narrowest of 1 s, 2 s, 5
   * s, 10 s, 15 s, 30 s, 1, 2, 5, 10, 15 and 30 min, 1, 2, 3, 6 and 12 h and 1 d that cuts it into
   * at most {@value #MOST_SPANS}, so that "per minute" reads as a clock does.
   */
  public static Duration spanWidth(Duration range) {
    // In whole seconds: "the last hour" begins a moment before the store is asked, and a
    // millisecond past the hour made it 31 spans of 2 min.
    Duration seconds = Duration.ofSeconds(range.getSeconds());
    for (Duration width : SPAN_WIDTHS) {
      if (width.multipliedBy(MOST_SPANS).compareTo(seconds) >= 0) {
        return width;
      }
    }
    return Duration.ofSeconds(Math.max(1, (range.getSeconds() + MOST_SPANS - 1) / MOST_SPANS));
  }

  /**
   * How many spans of {@code width} a range of whole seconds takes (at least one); the last takes
   * the range's fraction of a second.
   */
  public static int spans(Duration range, Duration width) {
    return (int) Math.max(1, (range.getSeconds() + width.getSeconds() - 1) / width.getSeconds());
  }
}
