-- The tasks that logged in a time range, across the fleet or on one worker: the most recently
-- active first (with :levels the error levels, the latest failure first). A task is picked by
-- its records in the range, and then summed up from all of its records, those outside the range
-- too, as `heartlog task` shows it: a task that began before :since shows when it began.
-- A filter given as NULL does not filter; each call is planned with its values, so the error
-- levels read the errors index and a worker its timeline index. :window_s, where given, picks
-- only among the records of that many seconds back from :window_end (Store.tasks's search in
-- growing windows, as Store.logs's); it bounds their time from below only.
WITH picked AS (
    SELECT task_id,
           max(timestamp) AS latest
    FROM system_logs
    WHERE task_id IS NOT NULL
      AND (:worker::text IS NULL OR source_id = :worker::text)
      AND level = ANY (:levels::text[])
      AND (:since::timestamptz IS NULL OR timestamp >= :since::timestamptz)
      AND (:until::timestamptz IS NULL OR timestamp < :until::timestamptz)
      AND (:window_s::bigint IS NULL
           OR timestamp >= :window_end::timestamptz - make_interval(secs => :window_s::bigint))
    GROUP BY task_id
    ORDER BY latest DESC, task_id
    LIMIT :limit
)
-- Each picked task is summed up by its own read of the task index (a lateral subquery): joined
-- instead, the planner read the whole table once it expected thousands of records a task
-- (275 ms against 8 ms for the pick, for a worker's tasks of 4,320 records; BENCHMARKS.md §3).
SELECT p.task_id,
       s.first_at,
       s.last_at,
       s.records,
       s.errors,
       s.workers,
       s.failure
FROM picked p
CROSS JOIN LATERAL (
    SELECT min(l.timestamp)                                           AS first_at,
           max(l.timestamp)                                           AS last_at,
           count(*)                                                   AS records,
           count(*) FILTER (WHERE l.level IN ('ERROR', 'CRITICAL'))   AS errors,
           array_agg(DISTINCT l.source_id)                            AS workers,
           (array_agg(l.message ORDER BY l.timestamp DESC, l.id DESC)
                FILTER (WHERE l.level IN ('ERROR', 'CRITICAL')))[1]   AS failure
    FROM system_logs l
    WHERE l.task_id = p.task_id
) s
ORDER BY p.latest DESC, p.task_id
