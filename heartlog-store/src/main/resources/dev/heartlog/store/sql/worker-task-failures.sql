-- The message of a worker's last ERROR or CRITICAL record in each of :tasks, made at the time at
-- the same place in :failed_at (worker-tasks.sql's failed_at): read by that time through the
-- errors index, as task-summaries.sql reads a task's failure, not found among the task's records.
-- Of errors made at the same time, the one stored last. With it, the line of its exception that
-- names it (failure_exception, heartlog_exception_name as in task-summaries.sql); the failure's
-- own only, as the latest error with one (a worker's closing "Task failed" after the logged
-- traceback) would need one more aggregate in worker-tasks.sql, over every record of its window.
SELECT t.task_id,
       f.message,
       heartlog_exception_name(f.exception) AS failure_exception
FROM unnest(:tasks::text[], :failed_at::timestamptz[]) AS t (task_id, failed_at)
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
