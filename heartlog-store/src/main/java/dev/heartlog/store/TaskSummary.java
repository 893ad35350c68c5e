package dev.heartlog.store;

import java.time.Instant;

/**
 * A task as seen from its records, or one worker's share of a task.
 *
 * @param id the task id, or the worker id for a worker's share of a task
 * @param firstAt the first record's time
 * @param lastAt the last record's time
 * @param records how many records
 * @param errors how many of them are ERROR or CRITICAL
 * @param failedAt the last ERROR or CRITICAL record's time, null where there is none
 * @param tracedAt the last ERROR or CRITICAL record's time that has an exception, where it was
 *     read (a worker's recent tasks), else null: what explains a failure without one
 * @param failure that record's message, where it was read (a worker's recent tasks), else null
 * @param failureException the line of that record's exception that names it, as {@link
 *     RecentTask#failureException()} reads it, where it has one and was read, else null
 */
public record TaskSummary(String id, Instant firstAt, Instant lastAt, long records, long errors, Instant failedAt,
    Instant tracedAt, String failure, String failureException) {

  /** A summary whose failure was not read. */
  public TaskSummary(String id, Instant firstAt, Instant lastAt, long records, long errors, Instant failedAt) {
    this(id, firstAt, lastAt, records, errors, failedAt, null, null, null);
  }

  /** This summary with its failure's message and the line that names its exception. */
  TaskSummary withFailure(String message, String exception) {
    return new TaskSummary(id, firstAt, lastAt, records, errors, failedAt, tracedAt, message, exception);
  }

  /** Whether the task logged an ERROR or CRITICAL record: heartlog's sign that it failed. */
  public boolean failed() {
    return errors > 0;
  }
}
