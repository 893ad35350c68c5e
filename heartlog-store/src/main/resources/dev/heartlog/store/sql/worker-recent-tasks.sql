-- The worker's latest tasks among those it began in the :window_s seconds back from :window_end
-- (its newest record's time), the latest begun first, each with the worker's records of it. A
-- task begun in the window has all of them in it, so they are read through the worker's index
-- for the window alone, and a task with a record of the worker's before the window is left out
-- (its first record is found through the task index). PageReads widens the window until the
-- answer holds :limit tasks, else reads worker-tasks.sql: a busy worker's 48 hours (750,000
-- records) took 177 ms to group whole for its 20 latest tasks (BENCHMARKS.md §3).
SELECT task_id,
       min(timestamp)                                         AS first_at,
       max(timestamp)                                         AS last_at,
       count(*)                                               AS records,
       count(*) FILTER (WHERE level IN ('ERROR', 'CRITICAL')) AS errors
FROM system_logs l
WHERE source_id = :worker::text
  AND task_id IS NOT NULL
  AND timestamp >= :window_end::timestamptz - make_interval(secs => :window_s::bigint)
GROUP BY task_id
HAVING NOT EXISTS (SELECT 1
                   FROM system_logs before
                   WHERE before.task_id = l.task_id
                     AND before.source_id = :worker::text
                     AND before.timestamp < :window_end::timestamptz - make_interval(secs => :window_s::bigint))
ORDER BY first_at DESC, task_id
LIMIT :limit
