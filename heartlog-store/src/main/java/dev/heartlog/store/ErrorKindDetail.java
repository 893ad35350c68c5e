package dev.heartlog.store;

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
 */
public record ErrorKindDetail(
    Instant since,
    Instant until,
    ErrorKind kind,
    String stackTrace,
    List<ErrorKind> workers,
    long workerCount,
    List<ErrorKind> tasks,
    long taskCount) {

  /** Workers and tasks listed when no limit is given. */
  public static final int DEFAULT_LIMIT = 20;

  public ErrorKindDetail {
    workers = List.copyOf(workers);
    tasks = List.copyOf(tasks);
  }
}
