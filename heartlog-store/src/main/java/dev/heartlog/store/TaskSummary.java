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
 */
public record TaskSummary(String id, Instant firstAt, Instant lastAt, long records, long errors) {

  /** Whether the task logged an ERROR or CRITICAL record: heartlog's sign that it failed. */
  public boolean failed() {
    return errors > 0;
  }
}
