package dev.heartlog.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  /** Each worker's share of these records, as task-workers.sql counts it: first share first. */
  static List<TaskSummary> sharesOf(List<StoredRecord> records) {
    Map<String, TaskSummary> shares = new LinkedHashMap<>();
    for (StoredRecord record : records) {
      shares.merge(record.workerId(),
          new TaskSummary(record.workerId(), record.timestamp(), record.timestamp(), 1, record.isError() ? 1 : 0),
          (a, b) -> new TaskSummary(a.id(),
              a.firstAt().isBefore(b.firstAt()) ? a.firstAt() : b.firstAt(),
              a.lastAt().isAfter(b.lastAt()) ? a.lastAt() : b.lastAt(),
              a.records() + b.records(),
              a.errors() + b.errors()));
    }
    List<TaskSummary> byFirst = new ArrayList<>(shares.values());
    byFirst.sort(Comparator.comparing(TaskSummary::firstAt).thenComparing(TaskSummary::id));
    return byFirst;
  }
}
