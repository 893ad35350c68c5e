package dev.heartlog.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reads behind a task's page and a worker's page ({@code heartlog task}, {@code heartlog
 * worker} and the viewer's): several queries each, run on one connection.
 */
final class PageReads {

  /** Most records a task's timeline holds. */
  private static final int TASK_RECORD_LIMIT = 100_000;

  private final Queries queries;

  PageReads(Queries queries) {
    this.queries = queries;
  }

  /** A task's whole timeline; empty lists when the store has never heard of it. */
  TaskTimeline task(String taskId) {
    LogFilter filter = new LogFilter(null, taskId, null, null, null, null, TASK_RECORD_LIMIT);
    return queries.onOneConnection(q -> {
      List<StoredRecord> records = new RecordReads(q).logs(filter);
      // Under the limit the records are all of the task's, so its workers' shares are counted
      // from them instead of reading the same rows from the table again (BENCHMARKS.md §3).
      List<TaskSummary> workers =
          records.size() < TASK_RECORD_LIMIT ? TaskSummary.sharesOf(records) : taskWorkers(q, taskId);
      return new TaskTimeline(
          taskId, records, workers, q.query("task-heartbeats", Map.of("task", taskId), Rows::heartbeatPoint));
    });
  }

  /** Each worker's share of a task's records, counted by the store. */
  List<TaskSummary> taskWorkers(String taskId) {
    return taskWorkers(queries, taskId);
  }

  private static List<TaskSummary> taskWorkers(Queries q, String taskId) {
    return q.query("task-workers", Map.of("task", taskId), Rows::taskSummary);
  }

  /** One worker with its recent tasks and latest records, or empty for an unknown id. */
  Optional<WorkerDetail> worker(String workerId, int recordLimit, int taskLimit) {
    return queries.onOneConnection(q -> {
      List<WorkerHealth> rows = q.query("worker",
          Map.of("worker", workerId, "stale_after_s", Store.DEFAULT_STALE_AFTER.toSeconds()), Rows::workerHealth);
      if (rows.isEmpty()) {
        return Optional.empty();
      }
      WorkerHealth health = rows.get(0);
      List<TaskSummary> tasks =
          q.query("worker-tasks", Map.of("worker", workerId, "limit", taskLimit), Rows::taskSummary);
      List<StoredRecord> records =
          new RecordReads(q).logs(new LogFilter(workerId, null, null, null, null, null, recordLimit));
      return Optional.of(new WorkerDetail(health, tasks, records));
    });
  }
}
