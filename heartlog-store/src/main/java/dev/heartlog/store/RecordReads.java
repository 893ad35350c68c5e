package dev.heartlog.store;

import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The store's reads of records: a listing's newest records and its older pages, what a follower
 * that comes back missed, and what those following the store read ({@link RecordFollower}).
 */
final class RecordReads {

  /**
   * The windows {@link #logs} looks for the newest records in, before the whole range: from a
   * second (a 10,000-worker fleet stores 50,000 records in it) to an hour, whose rows are a small
   * part of 48 hours' (a 6-hour window made a rare filter's answer about 1.4 times as slow as the
   * whole range read alone; BENCHMARKS.md §3).
   */
  private static final List<Duration> NEWEST_RECORD_WINDOWS = List.of(
      Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofHours(1));

  /**
   * The windows back from a worker's newest record its task list is picked in, before the whole
   * range: an hour holds a busy worker's latest tasks (5 records a second, a task every 15
   * minutes), 6 hours the 20 a page shows.
   */
  private static final List<Duration> WORKER_TASK_WINDOWS = List.of(Duration.ofHours(1), Duration.ofHours(6));

  private final Queries queries;

  RecordReads(Queries queries) {
    this.queries = queries;
  }

  /**
   * Records matching the filter: the newest {@code limit}, returned oldest first.
   *
   * <p>Records of every level have no B-tree on their time, only a BRIN index (cheaper to write,
   * and ingest is what the store does most): without a worker, a task or a level of WARNING or
   * above, whose indexes read newest first, the newest records were found by sorting every record
   * of the time range, 5 s for a fleet's 10 million of 48 hours (BENCHMARKS.md §3, "The fleet's
   * newest records"). Those are looked for in windows back from {@code until}, else from the
   * newest of the records stored last, growing until one holds {@code limit} records, and in the
   * whole range last. A window bounds the records' time from below only, so whatever it ends at,
   * the answer is the same; the newest records of a fleet, busy or quiet for hours, are found in
   * the first windows, and a rare record costs the whole range's read and the windows' before it.
   */
  List<StoredRecord> logs(LogFilter filter) {
    return queries.onOneConnection(q -> logs(q, filter, filterValues(filter), null));
  }

  /**
   * The page after a record's: those matching the filter that come after record {@code id} in
   * the listing's order (older, and of its time those after it, which {@code until} alone would
   * skip), the newest {@code limit}, returned oldest first. Empty when that record is gone.
   */
  List<StoredRecord> logsBefore(LogFilter filter, long id) {
    return queries.onOneConnection(q -> {
      Position position = Position.of(q, id);
      if (position == null) {
        return List.of();
      }
      Map<String, Object> values = filterValues(filter);
      values.put("before_id", id);
      values.put("before_ts", position.timestamp());
      values.put("before_seq", position.seq());
      return logs(q, filter, values, position.timestamp());
    });
  }

  /**
   * The records around time {@code at}, in the listing's order (oldest first): the newest {@code
   * filter.limit()} matching records made before it, then the oldest as many made at or after it.
   * The filter has no range ({@link Store#logsAround(LogFilter, Instant)}).
   */
  List<StoredRecord> logsAround(LogFilter filter, Instant at) {
    return queries.onOneConnection(q -> {
      Map<String, Object> before = filterValues(filter);
      before.put("until", at);
      List<StoredRecord> around = new ArrayList<>(logs(q, filter, before, at));
      Map<String, Object> after = filterValues(filter);
      after.put("since", at);
      around.addAll(oldestFrom(q, filter, after, at));
      return around;
    });
  }

  /**
   * The records around record {@code id}, in the listing's order (oldest first): the newest {@code
   * filter.limit()} matching records before it in that order, the record itself, matching or not
   * (it is the point), then the oldest as many after it, ties on its time included. Empty when the
   * record is gone (or never was). The filter has no range.
   */
  List<StoredRecord> logsAround(LogFilter filter, long id) {
    return queries.onOneConnection(q -> {
      List<StoredRecord> found = q.query("log-record", Map.of("id", id), Rows::storedRecord);
      if (found.isEmpty()) {
        return List.of();
      }
      StoredRecord record = found.get(0);
      Map<String, Object> before = filterValues(filter);
      before.put("before_id", id);
      before.put("before_ts", record.timestamp());
      before.put("before_seq", record.sequence());
      List<StoredRecord> around = new ArrayList<>(logs(q, filter, before, record.timestamp()));
      around.add(record);
      Map<String, Object> after = filterValues(filter);
      after.put("after_id", id);
      after.put("after_ts", record.timestamp());
      after.put("after_seq", record.sequence());
      around.addAll(oldestFrom(q, filter, after, record.timestamp()));
      return around;
    });
  }

  /**
   * The oldest {@code filter.limit()} records of {@code logs-from} from {@code start} on. Without
   * a worker, a task or a level of WARNING or above, whose indexes read in time order, they are
   * looked for in the windows of {@link #logs} on from {@code start} before all the records after
   * it are read: the mirror of the search of the newest records back from a point.
   */
  private static List<StoredRecord> oldestFrom(Queries q, LogFilter filter, Map<String, Object> values, Instant start) {
    values.putIfAbsent("after_id", null);
    values.putIfAbsent("after_ts", null);
    values.putIfAbsent("after_seq", null);
    values.put("window_start", start);
    if (filter.workerId() == null && filter.taskId() == null && !filter.warningsAndAbove()) {
      for (Duration window : NEWEST_RECORD_WINDOWS) {
        values.put("window_s", window.toSeconds());
        List<StoredRecord> found = q.query("logs-from", values, Rows::storedRecord);
        if (found.size() >= filter.limit()) {
          return found;
        }
      }
    }
    values.put("window_s", null);
    return q.query("logs-from", values, Rows::storedRecord);
  }

  /** Where a record stands in the listing's order: its time, then its sequence number. */
  record Position(Instant timestamp, Long seq) {

    /** Where record {@code id} stands; null when it is gone (or never was). */
    static Position of(Queries q, long id) {
      List<Position> found = q.query("log-position", Map.of("id", id),
          rs -> new Position(rs.getTimestamp("timestamp").toInstant(), (Long) rs.getObject("seq")));
      return found.isEmpty() ? null : found.get(0);
    }
  }

  private List<StoredRecord> logs(Queries q, LogFilter filter, Map<String, Object> values, Instant before) {
    boolean windows = filter.workerId() == null && filter.taskId() == null && !filter.warningsAndAbove();
    Instant end = filter.until() != null ? filter.until() : before;
    List<StoredRecord> newestFirst =
        inNewestWindows(q, windows, "logs", values, Rows::storedRecord, end, filter.since(), filter.limit());
    Collections.reverse(newestFirst);
    return newestFirst;
  }

  /**
   * The tasks with records in the filter's range, the most recently active first, each summed up
   * from all of its records. Without a worker they are picked in the windows of {@link #logs}
   * (failures too, by the errors index): the tasks with records in a window back from the range's
   * end were active more recently than any other, so a window that holds {@code limit} tasks
   * holds the range's first {@code limit}, and a busy fleet's hour, or an incident's many errors,
   * is not read whole for them. Only the list is picked in each window, and summed up once: where
   * no window fills (a healthy fleet's few failures), the windows cost their reads of the errors
   * index and no more. A worker's are picked among its records of an hour back from its newest
   * (or the range's end), then of 6 hours, then of the whole range ({@link #workerTasks}).
   */
  List<RecentTask> tasks(TaskFilter filter) {
    Map<String, Object> values = new HashMap<>();
    values.put("worker", filter.workerId());
    values.put("levels", filter.levels());
    values.put("since", filter.since());
    values.put("until", filter.until());
    values.put("limit", filter.limit());
    return queries.onOneConnection(q -> {
      values.put("tasks", null);
      if (!filter.metadata().isEmpty()) {
        putMetadata(values, filter.metadata());
        List<String> described = q.query("described-tasks", values, rs -> rs.getString("task_id"));
        if (described.isEmpty()) {
          return List.of();
        }
        values.put("tasks", described.toArray(String[]::new));
      }
      List<String> picked = filter.workerId() != null ? workerTasks(q, filter, values)
          : inNewestWindows(q, true, "recent-tasks", values, rs -> rs.getString("task_id"), filter.until(),
              filter.since(), filter.limit());
      if (picked.isEmpty()) {
        return List.of();
      }
      return q.query("task-summaries", Map.of("tasks", picked.toArray(String[]::new)), Rows::recentTask);
    });
  }

  /**
   * A worker's task list, picked in the {@link #WORKER_TASK_WINDOWS} back from the end of its
   * records in the range before the whole range, as the fleet's is in its windows. Where the tasks
   * of one window, at their rate, would not fill the list in the next, that window is skipped: a
   * worker of long tasks reads its hour, then its range (the 6 hours would be read for nothing).
   */
  private static List<String> workerTasks(Queries q, TaskFilter filter, Map<String, Object> values) {
    Instant newest = q.queryOne("worker-newest-time", Map.of("worker", filter.workerId()), rs -> Rows.instant(rs, "newest"));
    Instant end = filter.until() != null && (newest == null || filter.until().isBefore(newest)) ? filter.until() : newest;
    int found = 0;
    Duration searched = null;
    for (Duration window : end == null ? List.<Duration>of() : WORKER_TASK_WINDOWS) {
      boolean wholeRangeNext = filter.since() != null && !filter.since().isBefore(end.minus(window));
      boolean cannotFill = searched != null && (long) found * window.dividedBy(searched) < filter.limit();
      if (wholeRangeNext || cannotFill) {
        break;
      }
      values.put("window_end", end);
      values.put("window_s", window.toSeconds());
      List<String> picked = q.query("recent-tasks", values, rs -> rs.getString("task_id"));
      if (picked.size() >= filter.limit()) {
        return picked;
      }
      found = picked.size();
      searched = window;
    }
    values.put("window_s", null);
    values.put("window_end", null);
    return q.query("recent-tasks", values, rs -> rs.getString("task_id"));
  }

  /**
   * Runs query {@code name} in the {@link #NEWEST_RECORD_WINDOWS} back from {@code end} (else
   * from the newest record stored) until one answers {@code limit} rows, and on the whole range
   * from {@code since} last, or at once where {@code windows} is false. The query bounds the
   * records' time from below by {@code :window_s} before {@code :window_end} where they are set.
   */
  private static <T> List<T> inNewestWindows(Queries q, boolean windows, String name, Map<String, Object> values,
      Store.SqlFunction<ResultSet, T> row, Instant end, Instant since, int limit) {
    if (windows) {
      Instant windowEnd = end != null ? end
          : q.queryOne("newest-stored-time", Map.of("issued", issuedLogId(q)), rs -> rs.getTimestamp("newest").toInstant());
      values.put("window_end", windowEnd);
      Duration range = since == null ? null : Duration.between(since, windowEnd);
      for (Duration window : NEWEST_RECORD_WINDOWS) {
        if (range != null && window.compareTo(range) >= 0) {
          break;   // the whole range is read next anyway
        }
        values.put("window_s", window.toSeconds());
        List<T> found = q.query(name, values, row);
        if (found.size() >= limit) {
          return found;
        }
      }
    }
    values.put("window_s", null);
    values.put("window_end", null);
    return q.query(name, values, row);
  }

  /**
   * What a follower that reconnects missed: the records stored after {@code afterId} up to {@code
   * untilId} that match the filter (its times aside), the newest {@code limit} of them, in storing
   * order.
   */
  List<StoredRecord> logsAfter(long afterId, long untilId, LogFilter filter) {
    Map<String, Object> values = filterValues(filter);
    values.put("after_id", afterId);
    values.put("until_id", untilId);
    return queries.query("logs-after", values, Rows::storedRecord);
  }

  /**
   * One read for those following the store ({@link RecordFollower}): the ids stored after {@code
   * afterId} up to {@code untilId} and the ids {@code alsoIds} (ids at or below it not seen yet), at
   * most {@code limit}, in id order, each with its record where one of {@code wanted} may want it,
   * and without it elsewhere. A filter's worker, task, minimum level, text, component and metadata count; its
   * times and limit do not. For one filter the records are exactly those it matches. For several, the store
   * is asked for any of their workers, any of their tasks and any of their levels, and for a text,
   * a component or metadata only where all look for the same: the caller matches each filter itself.
   */
  List<Store.FollowedId> recordsForFollowers(
      long afterId, long untilId, Collection<Long> alsoIds, Collection<LogFilter> wanted, int limit) {
    Map<String, Object> values = new HashMap<>();
    values.put("after_id", afterId);
    values.put("until_id", untilId);
    values.put("also_ids", alsoIds.toArray(Long[]::new));
    values.put("workers", anyOf(wanted, LogFilter::workerId));
    values.put("tasks", anyOf(wanted, LogFilter::taskId));
    values.put("levels", wanted.stream().map(LogFilter::levels).max(Comparator.comparingInt(levels -> levels.length))
        .orElse(new String[0]));
    List<String> greps = wanted.stream().map(LogFilter::grep).distinct().toList();
    values.put("grep", greps.size() == 1 ? greps.get(0) : null);
    List<String> components = wanted.stream().map(LogFilter::component).distinct().toList();
    values.put("component", components.size() == 1 ? components.get(0) : null);
    List<Map<String, String>> metadata = wanted.stream().map(LogFilter::metadata).distinct().toList();
    putMetadata(values, metadata.size() == 1 ? metadata.get(0) : Map.of());
    values.put("limit", limit);
    return queries.query("records-for-followers", values,
        rs -> new Store.FollowedId(rs.getLong("id"), rs.getBoolean("wanted") ? Rows.storedRecord(rs) : null));
  }

  /** The filters' values of one field; null (any) where a filter does not filter on it. */
  private static String[] anyOf(Collection<LogFilter> filters, Function<LogFilter, String> field) {
    List<String> values = filters.stream().map(field).toList();
    return values.contains(null) ? null : values.stream().distinct().toArray(String[]::new);
  }

  /**
   * Summarizes the ranges of the id index filled since it was last summarized, so that reads by
   * id (those of {@link RecordFollower}) read only the pages they need; returns how many, or -1
   * when a partition was skipped because its lock was held (by a VACUUM, say).
   *
   * @throws StoreException with SQLSTATE 42501 where this user does not own the tables
   */
  int summarizeNewIds() {
    return queries.queryOne("summarize-new-ids", Map.of(), rs -> rs.getInt("ranges"));
  }

  /**
   * The newest record id; 0 for a store that never stored one. Where no record is stored near the
   * last id given out (all dropped by retention, say), that id: following starts after it.
   */
  long lastLogId() {
    // Two queries: the id index is chosen only when the planner sees the bound as a value, not
    // as a subquery's result it cannot estimate.
    return queries.onOneConnection(q -> {
      long issued = issuedLogId(q);
      return q.queryOne("last-log-id", Map.of("issued", issued), rs -> rs.getLong("id"));
    });
  }

  /**
   * The last id the records' id sequence gave out, at or above the newest stored record's; 0 when
   * the sequence is not readable to this user.
   */
  long issuedLogId() {
    return issuedLogId(queries);
  }

  private static long issuedLogId(Queries q) {
    return q.queryOne("issued-log-id", Map.of(), rs -> rs.getLong("id"));
  }

  /** A filter's metadata as the queries take it: the objects one of which it contains; null for none. */
  private static void putMetadata(Map<String, Object> values, Map<String, String> metadata) {
    values.put("meta", metadata.isEmpty() ? null : MetadataFilter.containedObjects(metadata));
  }

  private static Map<String, Object> filterValues(LogFilter filter) {
    Map<String, Object> values = new HashMap<>();
    values.put("worker", filter.workerId());
    values.put("task", filter.taskId());
    values.put("levels", filter.levels());
    values.put("since", filter.since());
    values.put("until", filter.until());
    values.put("grep", filter.grep());
    values.put("component", filter.component());
    putMetadata(values, filter.metadata());
    values.put("limit", filter.limit());
    values.put("before_id", null);
    values.put("before_ts", null);
    values.put("before_seq", null);
    return values;
  }
}
