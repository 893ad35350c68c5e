-- Each task of :tasks summed up from all of its records, those outside the range it was picked
-- in too, as `heartlog task` shows it: a task that began before the range shows when it began.
-- In the order given; a task with no record left (dropped by retention since it was picked) is
-- left out.
-- Each task is read by its own lateral subquery through the task index: joined instead, the
-- planner read the whole table once it expected thousands of records a task (275 ms against
-- 8 ms for the pick, for a worker's tasks of 4,320 records; BENCHMARKS.md §3).
-- Its records are grouped by worker first, in a hash table of a row or two, and the groups then
-- summed: array_agg(DISTINCT ...) and an ordered array_agg over the records sorted every record
-- of the task (20 tasks of 100,000 records: 650-680 ms against 866-1,146; BENCHMARKS.md §3,
-- "The Tasks page with long tasks"). The failure, the message of the latest error (the greatest
-- id among errors made at that time), is then found by its time through the errors index.
-- So is the record whose exception explains it: the failure's own, or, where it has none (a
-- worker's closing "Task failed"), the latest error with one; heartlog_exception_name reads the
-- line that names it (failure_exception; R__exception_name.sql says how for each runtime), not
-- the whole stack trace. An exception that is null, empty, white space (a handler that writes
-- every record's, {"exception": null} where there is none) or Python's "NoneType: None" explains
-- nothing (heartlog_has_stack_trace).
-- A flood's count ("repeated 4188 more times: ...") counts as the errors it stands for
-- (R__repeat_count.sql), and as one of the task's records.
SELECT t.task_id,
       s.first_at,
       s.last_at,
       s.records,
       s.errors,
       s.workers,
       f.message AS failure,
       heartlog_exception_name(c.exception) AS failure_exception
FROM unnest(:tasks::text[]) WITH ORDINALITY AS t (task_id, position)
CROSS JOIN LATERAL (
    SELECT min(w.first_at)                          AS first_at,
           max(w.last_at)                           AS last_at,
           sum(w.records)::bigint                   AS records,
           sum(w.errors)::bigint                    AS errors,
           array_agg(w.source_id ORDER BY w.source_id) AS workers,
           max(w.failed_at)                         AS failed_at,
           max(w.traced_at)                         AS traced_at
    FROM (
        SELECT l.source_id,
               min(l.timestamp)                                                 AS first_at,
               max(l.timestamp)                                                 AS last_at,
               count(*)                                                         AS records,
               coalesce(sum(coalesce(heartlog_repeat_count(l.message, l.metadata), 1))
                            FILTER (WHERE l.level IN ('ERROR', 'CRITICAL')), 0) AS errors,
               max(l.timestamp) FILTER (WHERE l.level IN ('ERROR', 'CRITICAL')) AS failed_at,
               max(l.timestamp) FILTER (WHERE l.level IN ('ERROR', 'CRITICAL')
                                          AND heartlog_has_stack_trace(l.metadata->>'exception')) AS traced_at
        FROM system_logs l
        WHERE l.task_id = t.task_id
        GROUP BY l.source_id
    ) w
) s
LEFT JOIN LATERAL (
    SELECT e.message
    FROM system_logs e
    WHERE e.task_id = t.task_id
      AND e.timestamp = s.failed_at
      AND e.level IN ('ERROR', 'CRITICAL')
    ORDER BY e.id DESC
    LIMIT 1
) f ON true
LEFT JOIN LATERAL (
    SELECT e.metadata->>'exception' AS exception
    FROM system_logs e
    WHERE e.task_id = t.task_id
      AND e.timestamp = s.traced_at
      AND e.level IN ('ERROR', 'CRITICAL')
      AND heartlog_has_stack_trace(e.metadata->>'exception')
    ORDER BY e.id DESC
    LIMIT 1
) c ON true
WHERE s.records > 0
ORDER BY t.position
