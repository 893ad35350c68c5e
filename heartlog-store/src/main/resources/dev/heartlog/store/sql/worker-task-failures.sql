-- The message of a worker's last ERROR or CRITICAL record in each of :tasks, made at the time at
-- the same place in :failed_at (worker-tasks.sql's failed_at): read by that time through the
-- errors index, as task-summaries.sql reads a task's failure, not found among the task's records.
-- Of errors made at the same time, the one stored last. With it, the line of its exception that
-- names it (failure_exception, heartlog_exception_name as in task-summaries.sql): the failure's
-- own, or where it has none (a worker's closing "Task failed" after the traceback it logged),
-- that of the worker's latest error of the task with one, made at the time in :traced_at
-- (worker-tasks.sql's traced_at), as the task list names it. That one is read only then, by its
-- time through the errors index as the failure is: looked for back from the failure instead,
-- the planner read the fleet's errors of the task's span for each task (2 ms became 62 for a
-- worker of a fleet of 1,000; BENCHMARKS.md §3, "The exception before a closing Task failed").
SELECT t.task_id,
       f.message,
       heartlog_exception_name(coalesce(f.exception, c.exception)) AS failure_exception
FROM unnest(:tasks::text[], :failed_at::timestamptz[], :traced_at::timestamptz[]) AS t (task_id, failed_at, traced_at)
CROSS JOIN LATERAL (
    SELECT e.message,
           CASE WHEN heartlog_has_stack_trace(e.metadata->>'exception') THEN e.metadata->>'exception' END AS exception
    FROM system_logs e
    WHERE e.task_id = t.task_id
      AND e.source_id = :worker::text
      AND e.timestamp = t.failed_at
      AND e.level IN ('ERROR', 'CRITICAL')
    ORDER BY e.id DESC
    LIMIT 1
) f
LEFT JOIN LATERAL (
    SELECT e.metadata->>'exception' AS exception
    FROM system_logs e
    WHERE f.exception IS NULL
      AND e.task_id = t.task_id
      AND e.source_id = :worker::text
      AND e.timestamp = t.traced_at
      AND e.level IN ('ERROR', 'CRITICAL')
      AND heartlog_has_stack_trace(e.metadata->>'exception')
    ORDER BY e.id DESC
    LIMIT 1
) c ON true
