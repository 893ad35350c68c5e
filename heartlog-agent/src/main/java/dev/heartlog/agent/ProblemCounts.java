package dev.heartlog.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A batch's warnings and errors per 5-minute period of their timestamps, sent with the batch in
 * the heartbeat's metadata as {@code "problem_counts": [[period, errors, warnings], ...]}.
 *
 * <p>The store keeps each worker's problems of the last hour as counts per period (migration V7),
 * so that fleet health reads one row per worker instead of counting the hour's records at every
 * look. Counted here, on the heartbeat thread, they cost the store 2-4% of a heartbeat, against
 * about 10% for counting the records itself, which it does for senders that send no counts. A
 * period is the number of whole 300-second spans since 1970, as the store's {@code
 * heartlog_period()} numbers them; errors are ERROR and CRITICAL records, a flood's count ({@code
 * repeated 4188 more times: ...}) as the errors it stands for, as the store counts errors.
 */
final class ProblemCounts {

  /** The length of a period in seconds, as {@code heartlog_period()} has it. */
  static final long PERIOD_SECONDS = 300;

  private ProblemCounts() {}

  /** The records' problems, periods ascending; an empty list when there are none. */
  static List<List<Long>> of(List<LogRecord> records) {
    Map<Long, long[]> byPeriod = null;
    for (LogRecord record : records) {
      int column;
      switch (record.level()) {
        case ERROR, CRITICAL -> column = 0;
        case WARNING -> column = 1;
        default -> {
          continue;
        }
      }
      if (byPeriod == null) {
        byPeriod = new TreeMap<>();
      }
      long period = Math.floorDiv(record.timestamp().getEpochSecond(), PERIOD_SECONDS);
      byPeriod.computeIfAbsent(period, p -> new long[2])[column] += column == 0 ? Repeats.standsFor(record) : 1;
    }
    if (byPeriod == null) {
      return List.of();
    }
    List<List<Long>> counts = new ArrayList<>(byPeriod.size());
    byPeriod.forEach((period, errorsAndWarnings) -> counts.add(List.of(period, errorsAndWarnings[0], errorsAndWarnings[1])));
    return counts;
  }
}
