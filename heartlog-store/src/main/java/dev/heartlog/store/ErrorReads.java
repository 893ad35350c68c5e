package dev.heartlog.store;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The store's reads of errors by kind: the kinds of a range, one kind's workers, tasks and errors,
 * the kinds' errors in the range before, and one error's kind. Every one groups the range's
 * errors through range-errors.sql, so that a kind is the same everywhere.
 */
final class ErrorReads {

  /**
   * The windows back from the end of a range one kind's newest errors are looked for in, before
   * the whole range ({@link #ofKind}): a kind's errors are found by grouping every error of
   * the range into kinds, and the 20 newest of an incident's kind are in its last seconds.
   */
  private static final List<Duration> KIND_ERROR_WINDOWS = List.of(
      Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofHours(1));

  private final Queries queries;

  ErrorReads(Queries queries) {
    this.queries = queries;
  }

  /** As {@link Store#errorKinds}. */
  ErrorKinds kinds(String workerId, Instant since, Instant until, int limit) {
    List<Rows.ErrorKindRow> rows = queries.query("error-kinds", Store.rangeValues(workerId, since, until, limit),
        Rows::errorKindRow);
    return new ErrorKinds(since, until, rows.stream().map(Rows.ErrorKindRow::kind).toList(),
        rows.isEmpty() ? 0 : rows.get(0).kindCount(), rows.isEmpty() ? 0 : rows.get(0).errorCount());
  }

  /** As {@link Store#errorsBefore}. */
  ErrorKinds.Before before(ErrorKinds errors, String workerId, Instant now) {
    Instant until = errors.since();
    Instant since = until.minus(errors.length(now));
    Map<String, Long> counts = new HashMap<>();
    if (!errors.kinds().isEmpty()) {
      Map<String, Object> values = Store.rangeValues(workerId, since, until, 1);
      values.put("kinds", errors.kinds().stream().map(ErrorKind::id).toArray(String[]::new));
      for (Map.Entry<String, Long> kind : queries.query("kind-counts", values,
          rs -> Map.entry(rs.getString("kind_id"), rs.getLong("errors")))) {
        counts.put(kind.getKey(), kind.getValue());
      }
    }
    return new ErrorKinds.Before(since, until, counts);
  }

  /** As {@link Store#errorKind}. */
  Optional<ErrorKindDetail> kind(String kindId, String workerId, Instant since, Instant until, int limit) {
    Map<String, Object> values = Store.rangeValues(workerId, since, until, limit);
    values.put("kind", ErrorKind.checkedId(kindId));
    Duration range = Duration.between(since, until == null ? Instant.now() : until);
    Duration width = ErrorKindDetail.spanWidth(range);
    int spans = ErrorKindDetail.spans(range, width);
    values.put("bucket_seconds", (int) width.getSeconds());
    values.put("buckets", spans);
    List<Rows.ErrorKindPartRow> rows = queries.query("error-kind", values, Rows::errorKindPartRow);
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    List<ErrorKind> workers = new ArrayList<>();
    List<ErrorKind> tasks = new ArrayList<>();
    Long[] overTime = new Long[spans];
    Arrays.fill(overTime, 0L);
    long workerCount = 0;
    long taskCount = 0;
    for (Rows.ErrorKindPartRow row : rows.subList(1, rows.size())) {
      switch (row.part()) {
        case "worker" -> {
          workers.add(row.kind());
          workerCount = row.partCount();
        }
        case "task" -> {
          tasks.add(row.kind());
          taskCount = row.partCount();
        }
        default -> overTime[row.span()] = row.kind().errors();
      }
    }
    Rows.ErrorKindPartRow kind = rows.get(0);
    return Optional.of(new ErrorKindDetail(since, until, kind.kind(), kind.stackTrace(), workers, workerCount, tasks,
        taskCount, width, List.of(overTime)));
  }

  /** As {@link Store#errorsOfKind}. */
  List<StoredRecord> ofKind(String kindId, String workerId, String taskId, Instant since, Instant until, Long beforeId,
      int limit) {
    Map<String, Object> values = Store.rangeValues(workerId, since, until, limit);
    values.put("kind", ErrorKind.checkedId(kindId));
    LogFilter.refuseNul("task", taskId);
    values.put("task", taskId);
    return inNewestWindows(values, since, until, beforeId, limit);
  }

  /** As {@link Store#errorKindId}. */
  Optional<String> kindId(StoredRecord error) {
    Map<String, Object> values = Store.rangeValues(error.workerId(), error.timestamp(),
        error.timestamp().plus(1, ChronoUnit.MICROS), 1);
    values.put("id", error.id());
    return queries.query("error-kind-of", values, rs -> rs.getString("kind_id")).stream().findFirst();
  }

  /**
   * One kind's errors (errors-of-kind.sql, its {@code values} but the range's and the page's): the
   * newest {@code limit} made at or after {@code since} and before {@code until} ({@code null}:
   * now), after record {@code beforeId} where one is given, returned oldest first.
   *
   * <p>Each error's kind is its own, whatever else the range holds: so the newest errors of a
   * window back from the range's end, where it holds {@code limit} of them, are the range's newest,
   * and a page after a record need group no error made after it. They are looked for in the
   * {@link #KIND_ERROR_WINDOWS} back from the range's newest error (of any kind: one read of the
   * errors index) before the whole range: the viewer's 20 newest of an incident's kind in a
   * window of its last seconds, where the range held 66,000 errors to group.
   */
  private List<StoredRecord> inNewestWindows(Map<String, Object> values, Instant since, Instant until, Long beforeId,
      int limit) {
    return queries.onOneConnection(q -> {
      Instant end = until;
      values.put("before_id", beforeId);
      values.put("before_ts", null);
      if (beforeId != null) {
        RecordReads.Position position = RecordReads.Position.of(q, beforeId);
        if (position == null) {
          return List.of();
        }
        values.put("before_ts", position.timestamp());
        Instant justAfter = position.timestamp().plus(1, ChronoUnit.MICROS);
        if (end == null || justAfter.isBefore(end)) {
          end = justAfter;
        }
      }
      values.put("until", end);
      Timestamp newestError = q.queryOne("newest-error-time", values, rs -> rs.getTimestamp("newest"));
      if (newestError == null) {
        return List.of();
      }
      for (Duration window : KIND_ERROR_WINDOWS) {
        Instant start = newestError.toInstant().minus(window);
        if (!start.isAfter(since)) {
          break;   // the whole range is read next anyway
        }
        values.put("since", start);
        List<StoredRecord> found = q.query("errors-of-kind", values, Rows::storedRecord);
        if (found.size() >= limit) {
          return oldestFirst(found);
        }
      }
      values.put("since", since);
      return oldestFirst(q.query("errors-of-kind", values, Rows::storedRecord));
    });
  }

  private static List<StoredRecord> oldestFirst(List<StoredRecord> newestFirst) {
    List<StoredRecord> records = new ArrayList<>(newestFirst);
    Collections.reverse(records);
    return records;
  }
}
