-- A worker's most recent tasks, the latest begun first, each with the worker's records of it, the
-- time of its last error and of its last error with an exception (worker-task-failures.sql reads
-- that error's message, and the exception explaining it). An error's metadata is read for that
-- (the FILTER's level test first), no other record's: with the failures read, a busy worker's
-- last 6 hours took 49.8 ms against 41.8 (BENCHMARKS.md §3, "The exception before a closing
-- Task failed"). A flood's count ("repeated 4188 more times: ...") counts as the errors it stands
-- for (R__repeat_count.sql).
-- With :window_s, only its records in that many seconds back from :window_end (its newest
-- record's time) are read, and every task they name is answered (:limit is NULL): for a task the
-- worker began in the window these are all of its records of it, and tasks-begun-before.sql finds
-- the others (PageReads). A busy worker's 48 hours (864,000 records) took 204-219 ms to group
-- whole for its 20 latest tasks (BENCHMARKS.md §3, "A busy worker's latest tasks").
SELECT task_id,
       min(timestamp)                                         AS first_at,
       max(timestamp)                                         AS last_at,
       count(*)                                               AS records,
       coalesce(sum(coalesce(heartlog_repeat_count(message, metadata), 1))
                    FILTER (WHERE level IN ('ERROR', 'CRITICAL')), 0)::bigint AS errors,
       max(timestamp) FILTER (WHERE level IN ('ERROR', 'CRITICAL')) AS failed_at,
       max(timestamp) FILTER (WHERE level IN ('ERROR', 'CRITICAL')
                                AND heartlog_has_stack_trace(metadata->>'exception')) AS traced_at
FROM system_logs
WHERE source_id = :worker::text
  AND task_id IS NOT NULL
  AND (:window_s::bigint IS NULL
       OR timestamp >= :window_end::timestamptz - make_interval(secs => :window_s::bigint))
GROUP BY task_id
ORDER BY first_at DESC, task_id
LIMIT :limit::bigint
