package dev.heartlog.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which tasks {@code heartlog tasks} (and {@code GET /api/tasks}) lists: those with records in a
 * time range. A {@code null} field does not filter.
 *
 * @param workerId only tasks this worker logged for
 * @param since only tasks with records the worker made at or after this time
 * @param until only tasks with records made before this time; not before {@code since}
 * @param failedOnly only tasks with an ERROR or CRITICAL record in the range: heartlog's sign
 *     that a task failed
 * @param metadata only tasks with a record in the range (of the worker, where one is given) whose
 *     metadata has each of these keys with its value, as {@link MetadataFilter} matches them; the
 *     record that failed a task need not be that one. Empty: no filter
 * @param limit at most this many tasks, the most recently active
 */
public record TaskFilter(
    String workerId, Instant since, Instant until, boolean failedOnly, Map<String, String> metadata, int limit) {

  /** Tasks when no limit is given. */
  public static final int DEFAULT_LIMIT = 50;

  /** How far back the list reads when no {@code since} is given: an hour before its end. */
  public static final Duration DEFAULT_RANGE = Duration.ofHours(1);

  public TaskFilter {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive");
    }
    LogFilter.checkRange(since, until);
    LogFilter.refuseNul("worker", workerId);
    metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    MetadataFilter.check(metadata);
  }

  /** A filter on everything but the metadata. */
  public TaskFilter(String workerId, Instant since, Instant until, boolean failedOnly, int limit) {
    this(workerId, since, until, failedOnly, Map.of(), limit);
  }

  /**
   * {@code since}, or where none is given the {@link #DEFAULT_RANGE} before {@code until} (before
   * {@code now} where that is not given either): {@code tasks --until 2h} lists the tasks of the
   * hour before, not an empty range from an hour ago back to two.
   */
  public static Instant sinceOrDefault(Instant since, Instant until, Instant now) {
    return since != null ? since : (until != null ? until : now).minus(DEFAULT_RANGE);
  }

  /** The levels of the records that pick a task. */
  String[] levels() {
    return LogFilter.levelsFrom(failedOnly ? "ERROR" : null);
  }
}
