-- The message of a worker's last ERROR or CRITICAL record in each of :tasks, made at the time at
-- the same place in :failed_at (worker-tasks.sql's failed_at): read by that time through the
-- errors index, as task-summaries.sql reads a task's failure, not found among the task's records.
-- Of errors made at the same time, the one stored last. With it, the line of its exception that
-- names it (failure_exception), read as task-summaries.sql reads it; the failure's own only, as
-- the latest error with one (a worker's closing "Task failed" after the logged traceback) would
-- need one more aggregate in worker-tasks.sql, over every record of its window.
SELECT t.task_id,
       f.message,
       CASE WHEN left(f.exception, 1) IN (' ', E'\t')
            THEN NULL
            WHEN f.exception ~ E'^terminate called after throwing an instance of \'[^\\n]+\'\\n  what\\(\\):  [ \\t]*\\S'
            THEN substring(split_part(f.exception, E'\n', 1) FROM '^terminate called after throwing an instance of ''(.+)''$')
                 || ': ' || btrim(substr(split_part(f.exception, E'\n', 2), 12), E' \t\r')
            WHEN f.exception ~ E'^thread \'[^\\n]*\'(?: \\(\\d+\\))? panicked at [^\\n]*:\\n'
            THEN split_part(f.exception, E'\n', 1) || ' ' || split_part(f.exception, E'\n', 2)
            WHEN f.exception ~ E'^(?:/|file://|node:)\\S*:\\d+\\n'
            THEN coalesce(substring(f.exception FROM E'\n[ \t]*\n([^\n]+)'), split_part(f.exception, E'\n', 1))
            WHEN f.exception NOT LIKE 'Traceback (most recent call last):%'
                 AND split_part(f.exception, E'\n', 2) <> 'Traceback (most recent call last):'
            THEN split_part(f.exception, E'\n', 1)
            WHEN split_part(rtrim(f.exception, E' \t\r\n'), E'\n', -1) !~ '^\s'
                 AND split_part(rtrim(f.exception, E' \t\r\n'), E'\n', -2) ~ '^(?:    |  File "|Traceback \(most recent call last\):$)'
            THEN split_part(rtrim(f.exception, E' \t\r\n'), E'\n', -1)
            ELSE rtrim(substring(rtrim(f.exception, E' \t\r\n')
                                 FROM E'^.*\n  File "[^\n]*\n(?:[ \t][^\n]*\n)*([^ \t\n][^\n]*)'))
       END AS failure_exception
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
