-- A worker's most recent tasks, from all of its records (worker-recent-tasks.sql looks among its
-- newest first).
SELECT task_id,
       min(timestamp)                                         AS first_at,
       max(timestamp)                                         AS last_at,
       count(*)                                               AS records,
       count(*) FILTER (WHERE level IN ('ERROR', 'CRITICAL')) AS errors
FROM system_logs
WHERE source_id = :worker
  AND task_id IS NOT NULL
GROUP BY task_id
ORDER BY first_at DESC, task_id
LIMIT :limit
