package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A worker's latest tasks on its page, and its task list ({@code heartlog tasks --worker}), looked
 * for among its newest records first: the same answer as all of its records give, whatever the
 * limit and the range.
 */
class WorkerTasksTest {

  private static Store store;

  /**
   * Worker "busy", its times back from its newest record: 25 old tasks 20 hours back; "mid" 7
   * hours back, half an hour long; "long", begun 8 hours back and still logging; five new tasks
   * in the last 50 minutes. Another worker logs for "long" and "new-4" too, and for tasks of its own.
   */
  @BeforeAll
  static void fill() {
    store = PooledStores.fresh();   // some 400 queries
    store.withConnection(c -> c.createStatement().execute("""
        INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id)
        SELECT timestamptz '2026-11-27 20:00:00Z' - back, level, level || ' ' || back, 'worker', worker, task
        FROM (SELECT interval '20 hours' - (t * 10 + r) * interval '1 minute' AS back, 'INFO' AS level,
                     'busy' AS worker, 'old-' || t AS task
              FROM generate_series(1, 25) t, generate_series(0, 9) r
              UNION ALL
              SELECT interval '7 hours' - r * interval '3 minutes', 'ERROR', 'busy', 'mid' FROM generate_series(0, 10) r
              UNION ALL
              SELECT interval '8 hours' - r * interval '30 minutes', 'INFO', 'busy', 'long' FROM generate_series(0, 16) r
              UNION ALL
              SELECT interval '50 minutes' - (t * 10 + r) * interval '1 minute', 'INFO', 'busy', 'new-' || t
              FROM generate_series(0, 4) t, generate_series(0, 5) r
              UNION ALL
              SELECT interval '9 hours', 'INFO', 'other', 'long'
              UNION ALL
              SELECT interval '1 minute', 'ERROR', 'other', 'new-4'
              UNION ALL
              SELECT interval '10 minutes' * g, 'INFO', 'other', 'other-' || g FROM generate_series(1, 30) g) AS records;
        INSERT INTO workers (id, status, last_heartbeat) VALUES ('busy', 'active', now()), ('other', 'active', now());
        INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id)
        VALUES ('2026-11-27 19:55:00Z', 'ERROR', 'tie stored first', 'worker', 'other', 'tied');
        INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id)
        VALUES ('2026-11-27 19:55:00Z', 'CRITICAL', 'tie stored second', 'worker', 'other', 'tied');
        INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id, metadata)
        VALUES ('2026-11-27 19:00:00Z', 'ERROR', 'the worker process exited with code 1', 'worker', 'traced', 'py',
                jsonb_build_object('exception', E'Traceback (most recent call last):\n  File "w.py", line 9, in <module>\n'
                                                 || E'MemoryError: out of host memory\n')),
               ('2026-11-27 19:01:00Z', 'ERROR', 'render failed', 'worker', 'traced', 'java',
                jsonb_build_object('exception', E'java.lang.IllegalStateException: oom\n\tat W.main(W.java:17)')),
               ('2026-11-27 19:02:00Z', 'ERROR', 'upload failed', 'worker', 'traced', 'empty',
                jsonb_build_object('exception', '')),
               ('2026-11-27 19:03:00Z', 'ERROR', 'decode failed', 'worker', 'traced', 'earlier',
                jsonb_build_object('exception', E'Traceback (most recent call last):\nValueError: bad frame')),
               -- White space is no stack trace: a closing line's, an error's between, or one's of
               -- the same time stored after the one with a stack trace.
               ('2026-11-27 19:03:00Z', 'ERROR', 'decode retried', 'worker', 'traced', 'earlier',
                jsonb_build_object('exception', E'\t')),
               ('2026-11-27 19:03:00.5Z', 'ERROR', 'retrying', 'worker', 'traced', 'earlier',
                jsonb_build_object('exception', E' \n')),
               ('2026-11-27 19:03:01Z', 'ERROR', 'Task failed', 'worker', 'traced', 'earlier',
                jsonb_build_object('exception', ' ')),
               ('2026-11-27 19:01:30Z', 'ERROR', 'upload failed', 'worker', 'traced', 'fallback',
                jsonb_build_object('exception', E'Traceback (most recent call last):\nOSError: disk full')),
               -- Another worker's error of the task at the same time, stored after it.
               ('2026-11-27 19:01:30Z', 'ERROR', 'upload failed', 'worker', 'another', 'fallback',
                jsonb_build_object('exception', E'Traceback (most recent call last):\nOSError: another worker''s')),
               ('2026-11-27 19:02:10Z', 'ERROR', 'Task failed', 'worker', 'traced', 'fallback', '{}'),
               ('2026-11-27 18:54:00Z', 'ERROR', 'the worker process exited with code 1', 'worker', 'traced', 'torchrun',
                jsonb_build_object('exception', E'Traceback (most recent call last):\n  File "/usr/local/bin/torchrun", line 8\n'
                                                 || E'    sys.exit(main())\nChildFailedError: \n====\ntrain.py FAILED\n'
                                                 || E'  exitcode  : -6 (pid: 37881)\n====')),
               ('2026-11-27 18:55:00Z', 'ERROR', 'Task failed', 'worker', 'traced', 'thread',
                jsonb_build_object('exception', E'Exception in thread Thread-1 (work):\nTraceback (most recent call last):\n'
                                                 || E'  File "w.py", line 4, in work\nRuntimeError: device lost')),
               ('2026-11-27 18:56:00Z', 'ERROR', 'the worker process exited with code 1', 'worker', 'traced', 'node',
                jsonb_build_object('exception', E'/app/worker.js:12\n    throw new Error("oom");\n    ^\n\n'
                                                 || E'Error: oom\n    at render (/app/worker.js:12:11)')),
               ('2026-11-27 18:57:00Z', 'ERROR', 'the worker process exited with code 101', 'worker', 'traced', 'rust',
                jsonb_build_object('exception', E'thread ''main'' panicked at src/main.rs:4:5:\nout of host memory\n'
                                                 || E'note: run with `RUST_BACKTRACE=1` environment variable')),
               ('2026-11-27 18:58:00Z', 'ERROR', 'the worker process exited with code 1', 'worker', 'traced', 'cuda',
                jsonb_build_object('exception', E'Traceback (most recent call last):\n  File "w.py", line 12, in render\n'
                                                 || E'RuntimeError: CUDA error: device-side assert triggered\n'
                                                 || E'For debugging consider passing CUDA_LAUNCH_BLOCKING=1\n')),
               ('2026-11-27 18:59:00Z', 'ERROR', 'the worker process was killed by signal 6 (SIGABRT) (exit code 134)',
                'worker', 'traced', 'abort',
                jsonb_build_object('exception', E'terminate called after throwing an instance of ''c10::Error''\n'
                                                 || E'  what():  CUDA error: device-side assert triggered\n'
                                                 || E'frame #0: c10::Error::Error() + 0x96 (0x7e3a in libc10.so)'));
        INSERT INTO workers (id, status, last_heartbeat) VALUES ('traced', 'active', now());
        """));
  }

  /**
   * The worker's tasks from all of its records, the latest begun first, each failed one with the
   * message of its latest error, the one stored last of those made at one time: what the page must
   * show.
   */
  private static List<TaskSummary> fromAllRecords(String worker, int limit) {
    return store.withConnection(c -> {
      List<TaskSummary> tasks = new ArrayList<>();
      try (var statement = c.prepareStatement("""
          SELECT task_id, min(timestamp) AS first_at, max(timestamp) AS last_at, count(*) AS records,
                 count(*) FILTER (WHERE level IN ('ERROR', 'CRITICAL')) AS errors,
                 max(timestamp) FILTER (WHERE level IN ('ERROR', 'CRITICAL')) AS failed_at,
                 (SELECT e.message FROM system_logs e
                  WHERE e.source_id = l.source_id AND e.task_id = l.task_id AND e.level IN ('ERROR', 'CRITICAL')
                  ORDER BY e.timestamp DESC, e.id DESC LIMIT 1) AS failure
          FROM system_logs l WHERE source_id = ? GROUP BY source_id, task_id ORDER BY first_at DESC, task_id LIMIT ?""")) {
        statement.setString(1, worker);
        statement.setInt(2, limit);
        try (var rs = statement.executeQuery()) {
          while (rs.next()) {
            TaskSummary task = Rows.taskSummary(rs);
            // none of these tasks' errors has an exception
            tasks.add(task.failedAt() == null ? task : task.withFailure(rs.getString("failure"), null));
          }
        }
      }
      return tasks;
    });
  }

  @Test
  void theLatestTasksAreThoseAllOfTheWorkersRecordsGiveForEveryLimit() {
    for (int limit : new int[] {1, 5, 6, 7, 8, 20, 100}) {
      assertThat(store.worker("busy", 10, limit).orElseThrow().recentTasks()).as("limit %d", limit)
          .isEqualTo(fromAllRecords("busy", limit));
    }
    assertThat(store.worker("other", 10, 100).orElseThrow().recentTasks()).isEqualTo(fromAllRecords("other", 100));
  }

  @Test
  void aFailedTaskSaysItsLastErrorOfTheWorkersOwnAndATaskWithoutErrorsSaysNone() {
    List<TaskSummary> busy = store.worker("busy", 10, 100).orElseThrow().recentTasks();
    assertThat(busy).filteredOn(TaskSummary::failed).singleElement().satisfies(mid -> {
      assertThat(mid.id()).isEqualTo("mid");
      assertThat(mid.failure()).as("the latest of its 11 errors").isEqualTo("ERROR 06:30:00");
      assertThat(mid.failedAt()).isEqualTo(Instant.parse("2026-11-27T13:30:00Z"));
    });
    assertThat(busy).filteredOn(task -> task.id().equals("new-4")).singleElement()
        .as("another worker's error in it is not this worker's failure")
        .satisfies(task -> assertThat(task.failure()).isNull());
    List<TaskSummary> other = store.worker("other", 10, 100).orElseThrow().recentTasks();
    assertThat(other).filteredOn(TaskSummary::failed).extracting(TaskSummary::id, TaskSummary::failure)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("new-4", "ERROR 00:01:00"),
            org.assertj.core.groups.Tuple.tuple("tied", "tie stored second"));
  }

  /**
   * A failed task's line on the worker's page names the exception of its failure, as the task
   * list does: the line after a Python traceback's last frame, the first of a Java stack trace, a C++ abort's
   * exception type and what(); where the failure has none (a closing "Task failed"), the
   * worker's latest error's of the task that has one, as the task list names it; none for an
   * empty one or one of white space, nor from another worker's error of the task.
   */
  @Test
  void aFailedTaskSaysTheLineThatNamesItsFailuresException() {
    assertThat(store.worker("traced", 10, 100).orElseThrow().recentTasks())
        .extracting(TaskSummary::id, TaskSummary::failure, TaskSummary::failureException)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("earlier", "Task failed", "ValueError: bad frame"),
            org.assertj.core.groups.Tuple.tuple("empty", "upload failed", null),
            org.assertj.core.groups.Tuple.tuple("fallback", "Task failed", "OSError: disk full"),
            org.assertj.core.groups.Tuple.tuple("java", "render failed", "java.lang.IllegalStateException: oom"),
            org.assertj.core.groups.Tuple.tuple("py", "the worker process exited with code 1",
                "MemoryError: out of host memory"),
            org.assertj.core.groups.Tuple.tuple("abort", "the worker process was killed by signal 6 (SIGABRT) (exit code 134)",
                "c10::Error: CUDA error: device-side assert triggered"),
            org.assertj.core.groups.Tuple.tuple("cuda", "the worker process exited with code 1",
                "RuntimeError: CUDA error: device-side assert triggered"),
            org.assertj.core.groups.Tuple.tuple("rust", "the worker process exited with code 101",
                "thread 'main' panicked at src/main.rs:4:5: out of host memory"),
            org.assertj.core.groups.Tuple.tuple("node", "the worker process exited with code 1", "Error: oom"),
            org.assertj.core.groups.Tuple.tuple("thread", "Task failed", "RuntimeError: device lost"),
            org.assertj.core.groups.Tuple.tuple("torchrun", "the worker process exited with code 1", "ChildFailedError:"));
  }

  @Test
  void aTaskBegunBeforeTheWindowIsNotTakenForOneBegunInIt() {
    // The last hour holds the five new tasks and "long", but "mid" began after "long" did.
    assertThat(store.worker("busy", 10, 6).orElseThrow().recentTasks()).extracting(TaskSummary::id)
        .containsExactly("new-4", "new-3", "new-2", "new-1", "new-0", "mid");
  }

  @Test
  void aTasksShareIsTheWorkersOwnRecords() {
    for (int limit : new int[] {5, 100}) {   // found in the last hour, and among all records
      List<TaskSummary> tasks = store.worker("busy", 10, limit).orElseThrow().recentTasks();
      assertThat(tasks).filteredOn(task -> task.id().equals("new-4")).singleElement()
          .satisfies(task -> assertThat(task.records()).isEqualTo(6));
    }
  }

  /** The worker's tasks with records in the range, the most recently active first, from all of them. */
  private static List<String> listFromAllRecords(Instant since, Instant until, boolean failed, int limit) {
    return store.withConnection(c -> {
      List<String> tasks = new ArrayList<>();
      try (var statement = c.prepareStatement("""
          SELECT task_id FROM system_logs
          WHERE source_id = 'busy' AND task_id IS NOT NULL
            AND (?::timestamptz IS NULL OR timestamp >= ?::timestamptz)
            AND (?::timestamptz IS NULL OR timestamp < ?::timestamptz)
            AND (NOT ? OR level IN ('ERROR', 'CRITICAL'))
          GROUP BY task_id ORDER BY max(timestamp) DESC, task_id LIMIT ?""")) {
        java.sql.Timestamp from = since == null ? null : java.sql.Timestamp.from(since);
        java.sql.Timestamp to = until == null ? null : java.sql.Timestamp.from(until);
        statement.setTimestamp(1, from);
        statement.setTimestamp(2, from);
        statement.setTimestamp(3, to);
        statement.setTimestamp(4, to);
        statement.setBoolean(5, failed);
        statement.setInt(6, limit);
        try (var rs = statement.executeQuery()) {
          while (rs.next()) {
            tasks.add(rs.getString(1));
          }
        }
      }
      return tasks;
    });
  }

  @Test
  void theTaskListOfAWorkerIsWhatAllOfItsRecordsGiveForEveryLimitAndRange() {
    Instant newest = Instant.parse("2026-11-27T20:00:00Z");
    List<Instant> sinces = java.util.Arrays.asList(null, newest.minus(Duration.ofMinutes(30)),
        newest.minus(Duration.ofHours(10)), newest.minus(Duration.ofHours(30)));
    List<Instant> untils = java.util.Arrays.asList(null, newest.minus(Duration.ofMinutes(20)),
        newest.minus(Duration.ofHours(6)), newest.plus(Duration.ofHours(1)));
    int checked = 0;
    for (Instant since : sinces) {
      for (Instant until : untils) {
        if (since != null && until != null && since.isAfter(until)) {
          continue;   // a range that ends before it begins is refused (TaskListTest)
        }
        for (boolean failed : new boolean[] {false, true}) {
          for (int limit : new int[] {1, 5, 6, 7, 8, 20, 100}) {
            List<String> listed = store.tasks(new TaskFilter("busy", since, until, failed, Map.of(), limit)).stream()
                .map(RecentTask::id).toList();
            assertThat(listed).as("since %s, until %s, failed %s, limit %d", since, until, failed, limit)
                .isEqualTo(listFromAllRecords(since, until, failed, limit));
            checked += listed.isEmpty() ? 0 : 1;
          }
        }
      }
    }
    assertThat(checked).as("ranges that list tasks").isGreaterThan(100);
  }
}
