package dev.heartlog.store;

import java.time.Instant;
import java.util.List;

/**
 * What {@code heartlog logs} (and the query API) selects. A {@code null} field does not filter.
 *
 * @param workerId only this worker's records
 * @param taskId only this task's records
 * @param minimumLevel only records at least this severe: DEBUG, INFO, WARNING, ERROR, CRITICAL
 * @param since only records the worker made at or after this time
 * @param until only records the worker made before this time
 * @param grep only records whose message contains this text, ignoring case
 * @param limit at most this many records, the newest
 */
public record LogFilter(
    String workerId,
    String taskId,
    String minimumLevel,
    Instant since,
    Instant until,
    String grep,
    int limit) {

  /** The store's levels, least severe first. */
  public static final List<String> LEVELS = List.of("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL");

  /** Records when no limit is given. */
  public static final int DEFAULT_LIMIT = 100;

  public LogFilter {
    if (minimumLevel != null && !LEVELS.contains(minimumLevel)) {
      throw new IllegalArgumentException(
          "unknown level '" + minimumLevel + "'; use one of " + String.join(", ", LEVELS));
    }
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive");
    }
  }

  /** Every record, newest {@link #DEFAULT_LIMIT} first. */
  public static LogFilter all() {
    return new LogFilter(null, null, null, null, null, null, DEFAULT_LIMIT);
  }

  /** The levels at or above {@link #minimumLevel()}. */
  String[] levels() {
    int from = minimumLevel == null ? 0 : LEVELS.indexOf(minimumLevel);
    return LEVELS.subList(from, LEVELS.size()).toArray(String[]::new);
  }
}
