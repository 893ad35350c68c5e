-- The workers that logged for a task, with their share of its records.
SELECT source_id,
       min(timestamp)                                            AS first_at,
       max(timestamp)                                            AS last_at,
       count(*)                                                  AS records,
       count(*) FILTER (WHERE level IN ('ERROR', 'CRITICAL'))    AS errors
FROM system_logs
WHERE task_id = :task
GROUP BY source_id
ORDER BY first_at
