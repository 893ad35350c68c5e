package dev.heartlog.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The reads behind a task's page and a worker's page ({@code heartlog task}, {@code heartlog
 * worker} and the viewer's): several queries each, run on one connection.
 */
final class PageReads {

  /**
   * The windows back from a worker's newest record that its latest tasks are looked for in,
   * before all of its records: an hour holds a busy worker's latest 20, and 6 hours those its
   * page draws.
   */
  private static final List<Duration> TASK_WINDOWS = List.of(Duration.ofHours(1), Duration.ofHours(6));

  /** Most records a task's whole timeline holds: past that, its newest. */
  private static final int TASK_RECORD_LIMIT = 100_000;

  private final Queries queries;

  PageReads(Queries queries) {
    this.queries = queries;
  }

  /**
   * A task's timeline: every record up to {@value #TASK_RECORD_LIMIT}, past that the newest, with
   * the older ones counted. Empty lists when the store has never heard of the task.
   */
  TaskTimeline task(String taskId) {
    return task(taskId, 0, TASK_RECORD_LIMIT);
  }

  /**
   * A task's timeline with its first {@code first} and last {@code last} records and those between
   * them counted (a long task's page), or every record where the task has no more than that.
   */
  TaskTimeline task(String taskId, int first, int last) {
    return queries.onOneConnection(q -> {
      List<StoredRecord> head = first == 0 ? List.of() : recordsAfter(q, taskId, null, first);
      List<StoredRecord> tail = last == 0 ? List.of() : newest(q, taskId, null, last);
      TaskHeartbeats heartbeats = TaskHeartbeats.read(q, taskId);
      // Where one end holds fewer records than asked, it holds them all, and what they add up to
      // is counted from them instead of reading the same rows from the table again (BENCHMARKS.md §3).
      if (head.size() < first) {
        return TaskTimeline.whole(taskId, head, heartbeats);
      }
      if (tail.size() < last) {
        return TaskTimeline.whole(taskId, tail, heartbeats);
      }
      Set<Long> inHead = head.stream().map(StoredRecord::id).collect(Collectors.toSet());
      List<StoredRecord> records = new ArrayList<>(head);
      tail.stream().filter(r -> !inHead.contains(r.id())).forEach(records::add);
      TaskCounts counts = TaskCounts.read(q, taskId);
      long total = counts.workers().stream().mapToLong(TaskSummary::records).sum();
      StoredRecord lastError = Optional.ofNullable(TaskTimeline.last(tail, StoredRecord::isError))
          .orElseGet(() -> newest(q, taskId, "ERROR", 1).stream().findFirst().orElse(null));
      // The tail is the task's newest records: an error with a stack trace there is its last.
      // Else the one that explains a closing "Task failed" may be among those left out.
      StoredRecord lastTracedError = Optional.ofNullable(TaskTimeline.last(tail, TaskTimeline::isTracedError))
          .orElseGet(() -> lastError == null || TaskTimeline.isTracedError(lastError) ? lastError
              : q.query("task-traced-error", Map.of("task", taskId), Rows::storedRecord).stream()
                  .findFirst().orElse(null));
      return new TaskTimeline(taskId, List.copyOf(records), head.size(), Math.max(0, total - records.size()),
          lastError, lastTracedError, counts.levels(), counts.workers(), heartbeats.points(), heartbeats.sent());
    });
  }

  /**
   * The task's records that come after record {@code afterId} in its timeline, the first {@code
   * limit}; empty when that record is gone.
   */
  List<StoredRecord> taskRecordsAfter(String taskId, long afterId, int limit) {
    return queries.onOneConnection(q -> recordsAfter(q, taskId, afterId, limit));
  }

  /**
   * The ids of the tasks with records that start with {@code prefix}, in order, the first {@code
   * limit}; none for an empty prefix, or one that ends in the last code point (no id range holds
   * what follows it).
   */
  List<String> taskIdsStartingWith(String prefix, int limit) {
    String below = prefix.isEmpty() ? null : justAfterEvery(prefix);
    if (below == null) {
      return List.of();
    }
    return queries.query("task-ids-starting", Map.of("from", prefix, "below", below, "limit", limit),
        rs -> rs.getString("task_id"));
  }

  /**
   * The first string, in code-point order, after every string that starts with {@code prefix}:
   * the prefix with its last code point the next one. Null where that is the last code point.
   */
  static String justAfterEvery(String prefix) {
    int last = prefix.codePointBefore(prefix.length());
    if (last == Character.MAX_CODE_POINT) {
      return null;
    }
    int next = last + 1 == Character.MIN_SURROGATE ? Character.MAX_SURROGATE + 1 : last + 1;
    return prefix.substring(0, prefix.length() - Character.charCount(last)) + Character.toString(next);
  }

  /** Each worker's share of a task's records, counted by the store. */
  List<TaskSummary> taskWorkers(String taskId) {
    return TaskCounts.read(queries, taskId).workers();
  }

  /**
   * A worker's {@code limit} latest begun tasks, each with its share of the worker's records.
   * A task begun in a window back from the worker's newest record began after any task begun
   * before it: where {@code limit} tasks began in the window, they are the latest. Else the window
   * widens, unless at the rate tasks began in it the wider one would not hold them either (a
   * worker of a task an hour: its 48 hours are few records), and all of the worker's records are
   * read last.
   */
  private static List<TaskSummary> latestTasks(Queries q, String workerId, int limit) {
    Instant newest = q.queryOne("worker-newest-time", Map.of("worker", workerId), rs -> Rows.instant(rs, "newest"));
    Duration previous = null;
    int begunInPrevious = 0;
    for (Duration window : newest == null ? List.<Duration>of() : TASK_WINDOWS) {
      if (previous != null && (double) begunInPrevious * window.toSeconds() / previous.toSeconds() < limit) {
        break;
      }
      // Every task the window names, without a limit: begunIn picks among them.
      List<TaskSummary> inWindow = q.query("worker-tasks", workerTasks(workerId, window, newest, null), Rows::workerTask);
      List<TaskSummary> begunInIt = begunIn(q, workerId, inWindow, newest.minus(window), limit);
      if (begunInIt.size() >= limit) {
        return begunInIt;
      }
      previous = window;
      begunInPrevious = begunInIt.size();
    }
    return q.query("worker-tasks", workerTasks(workerId, null, null, limit), Rows::workerTask);
  }

  /**
   * The worker's tasks, each failed one with its failure's message (its last error's) and the line
   * naming the exception that explains it: the failure's own, else the worker's latest error's
   * of the task with one.
   */
  private static List<TaskSummary> withFailures(Queries q, String workerId, List<TaskSummary> tasks) {
    List<TaskSummary> failed = tasks.stream().filter(task -> task.failedAt() != null).toList();
    if (failed.isEmpty()) {
      return tasks;
    }
    Map<String, TaskSummary> failures = new HashMap<>();
    Map<String, TaskSummary> byId = failed.stream().collect(Collectors.toMap(TaskSummary::id, task -> task));
    q.query("worker-task-failures", Map.of("worker", workerId,
        "tasks", failed.stream().map(TaskSummary::id).toArray(String[]::new),
        "failed_at", failed.stream().map(task -> task.failedAt().toString()).toArray(String[]::new),
        "traced_at", failed.stream().map(task -> task.tracedAt() == null ? null : task.tracedAt().toString())
            .toArray(String[]::new)),
        rs -> byId.get(rs.getString("task_id")).withFailure(rs.getString("message"), rs.getString("failure_exception")))
        .forEach(task -> failures.put(task.id(), task));
    return tasks.stream().map(task -> failures.getOrDefault(task.id(), task)).toList();
  }

  /** The values of worker-tasks.sql: its records in a window back from {@code end}, or all (null). */
  private static Map<String, Object> workerTasks(String workerId, Duration window, Instant end, Integer limit) {
    Map<String, Object> values = new HashMap<>();
    values.put("worker", workerId);
    values.put("window_s", window == null ? null : window.toSeconds());
    values.put("window_end", end);
    values.put("limit", limit);
    return values;
  }

  /**
   * The first {@code limit} of a window's tasks (latest first record first) that the worker did
   * not log for before {@code start}: for those, the window's records are all of the worker's.
   * Checked a few at a time, the latest first, as most of the latest began in the window.
   */
  private static List<TaskSummary> begunIn(
      Queries q, String workerId, List<TaskSummary> inWindow, Instant start, int limit) {
    List<TaskSummary> begunInIt = new ArrayList<>();
    int next = 0;
    while (begunInIt.size() < limit && next < inWindow.size()) {
      List<TaskSummary> batch = inWindow.subList(next, Math.min(inWindow.size(), next + limit - begunInIt.size()));
      Set<String> earlier = Set.copyOf(q.query("tasks-begun-before", Map.of("worker", workerId, "before", start,
          "tasks", batch.stream().map(TaskSummary::id).toArray(String[]::new)), rs -> rs.getString("task_id")));
      batch.stream().filter(task -> !earlier.contains(task.id())).forEach(begunInIt::add);
      next += batch.size();
    }
    return begunInIt;
  }

  /** The task's first {@code limit} records, or those after record {@code afterId}. */
  private static List<StoredRecord> recordsAfter(Queries q, String taskId, Long afterId, int limit) {
    Map<String, Object> values = new HashMap<>();
    values.put("task", taskId);
    values.put("limit", limit);
    values.put("after_id", afterId);
    values.put("after_ts", null);
    values.put("after_seq", null);
    if (afterId != null) {
      RecordReads.Position position = RecordReads.Position.of(q, afterId);
      if (position == null) {
        return List.of();
      }
      values.put("after_ts", position.timestamp());
      values.put("after_seq", position.seq());
    }
    return q.query("task-records-after", values, Rows::storedRecord);
  }

  /** The task's newest {@code limit} records of at least {@code minimumLevel} (null: any), oldest first. */
  private static List<StoredRecord> newest(Queries q, String taskId, String minimumLevel, int limit) {
    return new RecordReads(q).logs(new LogFilter(null, taskId, minimumLevel, null, null, null, limit));
  }

  /**
   * One worker with its recent tasks and latest records, or empty for an id the store has no row,
   * record or heartbeat of. A worker whose row the orchestrator removed has health "unknown".
   */
  Optional<WorkerDetail> worker(String workerId, int recordLimit, int taskLimit) {
    return queries.onOneConnection(q -> {
      Optional<WorkerHealth> found = health(q, workerId);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      WorkerHealth health = found.get();
      List<TaskSummary> tasks = withFailures(q, workerId, latestTasks(q, workerId, taskLimit));
      List<StoredRecord> records =
          new RecordReads(q).logs(new LogFilter(workerId, null, null, null, null, null, recordLimit));
      return Optional.of(new WorkerDetail(health, tasks, records));
    });
  }

  /** One worker as the fleet view shows it, or empty for an id the store knows nothing of. */
  Optional<WorkerHealth> health(String workerId) {
    return queries.onOneConnection(q -> health(q, workerId));
  }

  private static Optional<WorkerHealth> health(Queries q, String workerId) {
    Map<String, Object> values = Map.of("worker", workerId, "stale_after_s", Store.DEFAULT_STALE_AFTER.toSeconds());
    List<WorkerHealth> rows = q.query("worker", values, Rows::workerHealth);
    if (rows.isEmpty()) {
      // Its row removed by the orchestrator, or refused by its table since the row was last
      // written: shown from its heartbeats.
      rows = q.query("worker-from-heartbeats", values, Rows::workerHealth);
    }
    return rows.stream().findFirst();
  }
}
