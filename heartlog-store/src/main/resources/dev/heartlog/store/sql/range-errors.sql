-- The start of a query (error-kinds.sql and error-kind.sql read it in with \ir): the errors
-- (ERROR and CRITICAL records) made in [:since, :until), of :worker where one is given, each with
-- its kind, as the CTE "errors", and the id of each kind, as "kind_ids". An error with a stack trace says what it is by the line that
-- names its exception (heartlog_exception_name, as the task list names a failure's); one without,
-- or whose trace names none (one cut short), by its message's first line. Runs of
-- hex digits holding a digit are taken as alike ("Tried to allocate 2.00 GiB" and "5.00 GiB",
-- frame 12 and frame 13, a task's UUID in a message), so that one fault on many frames, tasks or
-- sizes is one kind.
-- A flood of one error counted, not kept record by record (the agent's and heartlog run's
-- "repeated 997 more times: connection refused", with the count in its metadata's "repeated"
-- too; heartlog_repeat_count), counts as the errors it stands for (occurrences), as every count
-- of errors does, and is of the kind of the records it repeats: its message without the count,
-- and the exception of the last of them (which it does not carry), found back from it among its
-- worker's records. Before, ErrorKindsTest's flood of 1,000 errors was a kind of 3 and another
-- of 1.
-- The errors are read through the errors index by time (and, for a worker, filtered there). Each
-- step below is a subquery kept apart (OFFSET 0), so that what it computes is computed once:
-- handed to the inlined function as it is, metadata->>'exception' was read again at each of the
-- function's dozen uses of it (66,000 errors of an incident: 2.26 s against 2.07; BENCHMARKS.md
-- §3, "The kinds of errors"), and a kind would name its exception twice.
WITH range_errors AS (
    -- The range's errors, each with its count where it is a count of repeats (R__repeat_count.sql).
    SELECT l.id, l.timestamp, l.source_id, l.task_id, l.level, l.message, l.metadata,
           heartlog_repeat_count(l.message, l.metadata) AS repeats
    FROM system_logs l
    WHERE l.level IN ('ERROR', 'CRITICAL')
      AND l.timestamp >= :since::timestamptz
      AND (:until::timestamptz IS NULL OR l.timestamp < :until::timestamptz)
      AND (:worker::text IS NULL OR l.source_id = :worker::text)
    OFFSET 0
),
occurrences AS (
    -- What each error says, and how many it stands for: a count, the records it repeats.
    SELECT c.id, c.timestamp, c.source_id, c.task_id,
           CASE WHEN c.repeats IS NOT NULL THEN substring(c.message FROM '^repeated [0-9]+ more times?: (.*)$')
                ELSE c.message
           END AS message,
           coalesce(c.repeats, 1) AS occurrences,
           CASE WHEN c.repeats IS NOT NULL
                THEN (SELECT o.metadata->>'exception'
                      FROM system_logs o
                      WHERE o.source_id = c.source_id
                        AND o.timestamp <= c.timestamp
                        AND o.level = c.level
                        AND o.task_id IS NOT DISTINCT FROM c.task_id
                        AND o.message = substring(c.message FROM '^repeated [0-9]+ more times?: (.*)$')
                      ORDER BY o.timestamp DESC, o.id DESC
                      LIMIT 1)
                ELSE c.metadata->>'exception'
           END AS exception
    FROM range_errors c
    OFFSET 0
),
traces AS (
    -- Each trace named once: an incident's errors repeat a few traces many times (33,000 of
    -- 66,000 traced with 6,979 texts), and naming one costs about 37 µs.
    SELECT t.exception,
           nullif(btrim(heartlog_exception_name(t.exception), E' \t\r\n'), '') AS exception_name
    FROM (SELECT DISTINCT o.exception FROM occurrences o WHERE o.exception IS NOT NULL OFFSET 0) t
    OFFSET 0
),
named AS (
    SELECT r.id, r.timestamp, r.source_id, r.task_id, r.message, r.occurrences, t.exception_name,
           CASE WHEN t.exception_name IS NULL THEN split_part(btrim(r.message, E' \t\r\n'), E'\n', 1) END AS first_line
    FROM occurrences r
    LEFT JOIN traces t ON t.exception = r.exception
    OFFSET 0
),
errors AS MATERIALIZED (
    -- An error without a trace is of the kind of its message's first line, or where that line
    -- says nothing (a rule of asterisks over a heading: Spring Boot's "APPLICATION FAILED TO
    -- START" report), of its first line that does: that holds a word's character (a letter, a
    -- digit, _; [[:alnum:]] would read as a parameter here). Before, every such report was one
    -- kind named "*****...". The first line is found once, in "named": found here, in the test
    -- and again as the kind, it cost 6-8% more on an hour of 4,167 errors without traces.
    SELECT e.*,
           regexp_replace(left(coalesce(e.exception_name,
                                        CASE WHEN e.first_line ~ '\w' THEN e.first_line
                                             ELSE coalesce(substring(e.message FROM '[^\n]*\w[^\n]*'), e.first_line)
                                        END), 500),
                          '[0-9a-fA-F]*[0-9][0-9a-fA-F]*', '#', 'g') AS kind
    FROM named e
),
kind_ids AS (
    -- Each kind's id: what `heartlog errors` shows of it, and `heartlog errors --kind` takes, the
    -- same for every range (the start of its text's MD5, in hex). Taken of each kind, not of each
    -- error: of each of an incident's 66,000 errors, it made the list of kinds 10% slower.
    SELECT k.kind, left(md5(k.kind), 8) AS kind_id
    FROM (SELECT DISTINCT e.kind FROM errors e) k
)
