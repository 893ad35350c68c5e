-- Each task of :tasks summed up from all of its records, those outside the range it was picked
-- in too, as `heartlog task` shows it: a task that began before the range shows when it began.
-- In the order given; a task with no record left (dropped by retention since it was picked) is
-- left out.
-- Each task is read by its own lateral subquery through the task index: joined instead, the
-- planner read the whole table once it expected thousands of records a task (275 ms against
-- 8 ms for the pick, for a worker's tasks of 4,320 records; BENCHMARKS.md §3).
SELECT t.task_id,
       s.first_at,
       s.last_at,
       s.records,
       s.errors,
       s.workers,
       s.failure
FROM unnest(:tasks::text[]) WITH ORDINALITY AS t (task_id, position)
CROSS JOIN LATERAL (
    SELECT min(l.timestamp)                                           AS first_at,
           max(l.timestamp)                                           AS last_at,
           count(*)                                                   AS records,
           count(*) FILTER (WHERE l.level IN ('ERROR', 'CRITICAL'))   AS errors,
           array_agg(DISTINCT l.source_id)                            AS workers,
           (array_agg(l.message ORDER BY l.timestamp DESC, l.id DESC)
                FILTER (WHERE l.level IN ('ERROR', 'CRITICAL')))[1]   AS failure
    FROM system_logs l
    WHERE l.task_id = t.task_id
) s
WHERE s.records > 0
ORDER BY t.position
