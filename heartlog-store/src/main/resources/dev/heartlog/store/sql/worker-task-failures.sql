-- The message of a worker's last ERROR or CRITICAL record in each of :tasks, made at the time at
-- the same place in :failed_at (worker-tasks.sql's failed_at): read by that time through the
-- errors index, as task-summaries.sql reads a task's failure, not found among the task's records.
-- Of errors made at the same time, the one stored last. With it, the line of its exception that
-- names it (failure_exception, heartlog_exception_name as in task-summaries.sql): the failure's
-- own, or where it has none (a worker's closing "Task failed" after the traceback it logged),
-- that of the worker's latest error of the task with one, as the task list names it. That one is
-- looked for only then, back from the failure through the task index, down to the task's first
-- record in :first_at; the page's failed tasks whose failure has an exception read nothing more.
SELECT t.task_id,
       f.message,
       heartlog_exception_name(coalesce(f.exception, c.exception)) AS failure_exception
FROM unnest(:tasks::text[], :first_at::timestamptz[], :failed_at::timestamptz[]) AS t (task_id, first_at, failed_at)
CROSS JOIN LATERAL (
    SELECT e.message,
           nullif(e.metadata->>'exception', '') AS exception
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
      AND e.timestamp >= t.first_at
      AND e.timestamp <= t.failed_at
      AND e.level IN ('ERROR', 'CRITICAL')
      AND e.metadata->>'exception' <> ''
    ORDER BY e.timestamp DESC, e.id DESC
    LIMIT 1
) c ON true
