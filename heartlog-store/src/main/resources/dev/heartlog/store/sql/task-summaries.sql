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
-- So is the line that names the exception explaining it (failure_exception): the failure's own,
-- or, where it has none (a worker's closing "Task failed"), that of the latest error with one.
-- Only that line is read out, not the whole stack trace. A Python traceback (also below a line
-- that says whose it is: "Exception in thread Thread-1 (work):") names its exception
-- on the first line not indented after its last frame: most often its last line, which split_part
-- reads where the line before it is a frame's (its place, '  File "...', or its source or caret,
-- indented by four); else a regular expression finds it after the last '  File "' line, as where
-- the message goes on below it (PyTorch's CUDA errors, three lines more; torchrun's report, some
-- of its lines indented by two). A traceback cut short, which ends in a frame, names none. Every other trace (Java, Node, Go) names it on its
-- first line; a Rust panic on its first two where the first ends with its place (since Rust
-- 1.73: "thread 'main' panicked at src/main.rs:4:5:", then the message); Node.js's uncaught
-- error on the line after the first blank one, below the place it was thrown ("/app/w.js:12"),
-- its line of source and a caret; a C++ abort (libstdc++'s "terminate called after throwing an instance of
-- 'c10::Error'" over "  what():  CUDA error: ...") by its type and what(), as heartlog run names
-- its record ("c10::Error: CUDA error: ..."). A trace that begins indented (an exception group's
-- "  + Exception Group Traceback", boxed) names it on no one line, and gives none. An exception
-- that is null or empty (a handler that writes every record's, {"exception": null} where there is
-- none) explains nothing. split_part reads a trace once, where a regular expression is tried
-- from many of its characters: 1 ms more for 50 tasks anchored at the trace's end, 3 ms for the
-- one here on every trace (BENCHMARKS.md §3, "Why a failed task failed", "A Python exception
-- whose message goes on below it").
SELECT t.task_id,
       s.first_at,
       s.last_at,
       s.records,
       s.errors,
       s.workers,
       f.message AS failure,
       CASE WHEN left(c.exception, 1) IN (' ', E'\t')
            THEN NULL
            WHEN c.exception ~ E'^terminate called after throwing an instance of \'[^\\n]+\'\\n  what\\(\\):  [ \\t]*\\S'
            THEN substring(split_part(c.exception, E'\n', 1) FROM '^terminate called after throwing an instance of ''(.+)''$')
                 || ': ' || btrim(substr(split_part(c.exception, E'\n', 2), 12), E' \t\r')
            WHEN c.exception ~ E'^thread \'[^\\n]*\'(?: \\(\\d+\\))? panicked at [^\\n]*:\\n'
            THEN split_part(c.exception, E'\n', 1) || ' ' || split_part(c.exception, E'\n', 2)
            WHEN c.exception ~ E'^(?:/|file://|node:)\\S*:\\d+\\n'
            THEN coalesce(substring(c.exception FROM E'\n[ \t]*\n([^\n]+)'), split_part(c.exception, E'\n', 1))
            WHEN c.exception NOT LIKE 'Traceback (most recent call last):%'
                 AND split_part(c.exception, E'\n', 2) <> 'Traceback (most recent call last):'
            THEN split_part(c.exception, E'\n', 1)
            WHEN split_part(rtrim(c.exception, E' \t\r\n'), E'\n', -1) !~ '^\s'
                 AND split_part(rtrim(c.exception, E' \t\r\n'), E'\n', -2) ~ '^(?:    |  File "|Traceback \(most recent call last\):$)'
            THEN split_part(rtrim(c.exception, E' \t\r\n'), E'\n', -1)
            ELSE rtrim(substring(rtrim(c.exception, E' \t\r\n')
                                 FROM E'^.*\n  File "[^\n]*\n(?:[ \t][^\n]*\n)*([^ \t\n][^\n]*)'))
       END AS failure_exception
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
               count(*) FILTER (WHERE l.level IN ('ERROR', 'CRITICAL'))         AS errors,
               max(l.timestamp) FILTER (WHERE l.level IN ('ERROR', 'CRITICAL')) AS failed_at,
               max(l.timestamp) FILTER (WHERE l.level IN ('ERROR', 'CRITICAL')
                                          AND l.metadata->>'exception' <> '')    AS traced_at
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
      AND e.metadata->>'exception' <> ''
    ORDER BY e.id DESC
    LIMIT 1
) c ON true
WHERE s.records > 0
ORDER BY t.position
