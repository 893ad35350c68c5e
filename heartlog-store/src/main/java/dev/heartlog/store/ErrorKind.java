package dev.heartlog.store;

import java.time.Instant;

/**
 * One kind of error in a time range: the errors (ERROR and CRITICAL records) that say the same,
 * but for their numbers. An error with a stack trace says it by the line that names its
 * exception, one without by its message's first line.
 *
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
    long errors,
    long workers,
    long tasks,
    Instant firstAt,
    Instant lastAt,
    String message,
    String exception,
    String taskId,
    String workerId) {}
