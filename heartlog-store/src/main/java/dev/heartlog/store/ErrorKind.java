package dev.heartlog.store;

import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One kind of error in a time range: the errors (ERROR and CRITICAL records) that say the same,
 * but for their numbers. An error with a stack trace says it by the line that names its
 * exception, one without by its message's first line.
 *
 * <p>The same record says where a kind was made ({@link ErrorKindDetail}): a worker's errors of
 * the kind, or a task's, counted as a kind's are.
 *
 * @param id the kind's id, the same in every range: {@code heartlog errors --kind} takes it
 * @param errors how many errors of this kind were made in the range
 * @param workers how many workers made them
 * @param tasks how many tasks they were made in (errors outside a task count in none)
 * @param firstAt the time of the first of them in the range
 * @param lastAt the time of the latest
 * @param message the latest one's message, whole
 * @param exception the line naming the latest one's exception, or {@code null} where it has no
 *     stack trace, or one that names none
 * @param taskId the latest one's task, or {@code null} where it was made outside a task
 * @param workerId the worker that made the latest one
 */
public record ErrorKind(
    String id,
    long errors,
    long workers,
    long tasks,
    Instant firstAt,
    Instant lastAt,
    String message,
    String exception,
    String taskId,
    String workerId) {

  private static final Pattern ID = Pattern.compile("[0-9a-f]{8}");

  /**
   * The kind's id as {@code heartlog errors} shows it, 8 hex digits (in either case).
   *
   * @throws IllegalArgumentException where {@code id} is not one
   */
  public static String checkedId(String id) {
    String lower = id == null ? "" : id.strip().toLowerCase(Locale.ROOT);
    if (!ID.matcher(lower).matches()) {
      throw new IllegalArgumentException(
          "a kind of error's id is 8 hex digits, as heartlog errors shows it (got '" + id + "')");
    }
    return lower;
  }
}
