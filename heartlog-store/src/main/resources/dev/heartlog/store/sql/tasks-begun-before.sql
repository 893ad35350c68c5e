-- Which of :tasks the worker logged for before :before: one record of each found through the
-- task index, and no more (a task of 150,000 records is not read whole). A lateral subquery with
-- a LIMIT, so that it is not turned into one read of every record the worker made before then.
-- The same check as NOT EXISTS in the window's own query (worker-tasks.sql) was estimated at a
-- thousand tasks, compiled by PostgreSQL's JIT, and took 44 ms instead of 4 (BENCHMARKS.md §3).
SELECT t.task_id
FROM unnest(:tasks::text[]) AS t (task_id)
CROSS JOIN LATERAL (SELECT 1
                    FROM system_logs b
                    WHERE b.task_id = t.task_id
                      AND b.source_id = :worker::text
                      AND b.timestamp < :before::timestamptz
                    LIMIT 1) AS earlier
