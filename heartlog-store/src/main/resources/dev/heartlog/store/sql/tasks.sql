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
SELECT l.task_id,
       min(l.timestamp)                                           AS first_at,
       max(l.timestamp)                                           AS last_at,
       count(*)                                                   AS records,
       count(*) FILTER (WHERE l.level IN ('ERROR', 'CRITICAL'))   AS errors,
       array_agg(DISTINCT l.source_id)                            AS workers,
       (array_agg(l.message ORDER BY l.timestamp DESC, l.id DESC)
            FILTER (WHERE l.level IN ('ERROR', 'CRITICAL')))[1]   AS failure
FROM picked p
JOIN system_logs l ON l.task_id = p.task_id
GROUP BY l.task_id, p.latest
ORDER BY p.latest DESC, l.task_id
