-- The tasks a worker logged for in the :window_s seconds back from :window_end (its newest
-- record's time), each with the worker's records of it in the window, the latest first record
-- first. For a task the worker began in the window these are all of its records of it;
-- tasks-begun-before.sql finds the others. Read through the worker's index for the window alone:
-- a busy worker's 48 hours (864,000 records) took 204-219 ms to group whole for its 20 latest
-- tasks (worker-tasks.sql; BENCHMARKS.md §3, "A busy worker's latest tasks").
SELECT task_id,
       min(timestamp)                                         AS first_at,
       max(timestamp)                                         AS last_at,
       count(*)                                               AS records,
       count(*) FILTER (WHERE level IN ('ERROR', 'CRITICAL')) AS errors
FROM system_logs
WHERE source_id = :worker::text
  AND task_id IS NOT NULL
  AND timestamp >= :window_end::timestamptz - make_interval(secs => :window_s::bigint)
GROUP BY task_id
ORDER BY first_at DESC, task_id
