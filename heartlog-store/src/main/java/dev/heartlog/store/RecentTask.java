package dev.heartlog.store;

import java.time.Instant;
import java.util.List;

/**
 * A task in the fleet's list of tasks, summed up from all of its records.
 *
 * @param id the task id
 * @param workers the workers that logged for it, by name
 * @param firstAt its first record's time
 * @param lastAt its last record's time
 * @param records how many records it has
 * @param errors how many of them are ERROR or CRITICAL
 * @param failure the message of its last ERROR or CRITICAL record; {@code null} when none
 * @param failureException the line that names the exception explaining the failure (a Python
 *     traceback's last, a Java stack trace's first): the failure's own, or where it has none (a
 *     worker's closing "Task failed"), that of the last ERROR or CRITICAL record with one;
 *     {@code null} when no error of the task has one
 */
public record RecentTask(
    String id,
    List<String> workers,
    Instant firstAt,
    Instant lastAt,
    long records,
    long errors,
    String failure,
    String failureException) {

  public RecentTask {
    workers = List.copyOf(workers);
  }

  /** Whether the task logged an ERROR or CRITICAL record: heartlog's sign that it failed. */
  public boolean failed() {
    return errors > 0;
  }
}
