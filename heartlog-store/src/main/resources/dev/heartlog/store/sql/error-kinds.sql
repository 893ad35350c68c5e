-- The kinds of the errors made in [:since, :until), of :worker where one is given (range-errors.sql),
-- the most frequent kind first: what `heartlog errors` and GET /api/errors list. Each kind shows
-- the text of its latest error, numbers and all. Of each kind: its id, how many errors, workers
-- and tasks, its first and latest time, and its latest error's message, exception line, task and
-- worker (of errors made at the same time, the one stored last). With the number of kinds and of
-- errors in all, over those past :limit too.
\ir range-errors.sql
, kinds AS (
    SELECT kind,
           sum(occurrences)::bigint   AS errors,
           count(DISTINCT source_id)  AS workers,
           count(DISTINCT task_id)    AS tasks,
           min(timestamp)             AS first_at,
           max(timestamp)             AS last_at,
           (array_agg(id ORDER BY timestamp DESC, id DESC))[1] AS latest_id,
           count(*) OVER ()           AS kind_count,
           sum(sum(occurrences)) OVER () AS error_count
    FROM errors
    GROUP BY kind
    ORDER BY errors DESC, last_at DESC, kind
    LIMIT :limit
)
SELECT i.kind_id,
       k.errors,
       k.workers,
       k.tasks,
       k.first_at,
       k.last_at,
       k.kind_count,
       k.error_count::bigint AS error_count,
       latest.message,
       latest.exception_name,
       latest.task_id,
       latest.source_id
FROM kinds k
JOIN kind_ids i ON i.kind = k.kind
JOIN errors latest ON latest.id = k.latest_id
ORDER BY k.errors DESC, k.last_at DESC, k.kind
