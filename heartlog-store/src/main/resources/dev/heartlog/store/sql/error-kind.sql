-- One kind of error (:kind, its id as error-kinds.sql gives it) made in [:since, :until), of
-- :worker where one is given (range-errors.sql), and where it was made: what `heartlog errors
-- --kind` and GET /api/errors/{kind} show. A row for the kind ("kind"), then one for each worker
-- it hit ("worker") and one for each task ("task"; its errors outside a task are a row whose
-- task_id is NULL), of each the :limit of most errors first, then the latest; then one for each
-- span of :bucket_seconds from :since that holds any ("time", its number in bucket, the last of
-- :buckets taking what is later). Each row counts its errors, workers and tasks, gives its first
-- and latest time and its latest error's message, exception line, task and worker (of errors
-- made at the same time, the one stored last), and how many rows of its part there are, those
-- past :limit too; the kind's row, its latest error's stack trace (a flood's count's, the last
-- record's it repeats, as its kind is). No rows where the range holds none of the kind (the
-- grand total's row of no errors has no latest error to join).
\ir range-errors.sql
, kind_errors AS (
    SELECT e.*, i.kind_id,
           least(:buckets::int - 1,
                 floor(extract(epoch FROM e.timestamp - :since::timestamptz) / :bucket_seconds::int))::int AS bucket
    FROM errors e
    JOIN kind_ids i ON i.kind = e.kind
    WHERE i.kind_id = :kind::text
),
parts AS (
    SELECT CASE WHEN grouping(k.source_id) = 0 THEN 'worker'
                WHEN grouping(k.task_id) = 0 THEN 'task'
                WHEN grouping(k.bucket) = 0 THEN 'time'
                ELSE 'kind'
           END AS part,
           k.bucket,
           sum(k.occurrences)::bigint AS errors,
           count(DISTINCT k.source_id) AS workers,
           count(DISTINCT k.task_id) AS tasks,
           min(k.timestamp) AS first_at,
           max(k.timestamp) AS last_at,
           (array_agg(k.id ORDER BY k.timestamp DESC, k.id DESC))[1] AS latest_id
    FROM kind_errors k
    GROUP BY GROUPING SETS ((k.source_id), (k.task_id), (k.bucket), ())
),
ranked AS (
    SELECT p.*,
           row_number() OVER (PARTITION BY p.part ORDER BY p.errors DESC, p.last_at DESC, p.latest_id DESC) AS rank,
           count(*) OVER (PARTITION BY p.part) AS part_count
    FROM parts p
)
SELECT r.part,
       r.bucket,
       latest.kind_id,
       r.errors,
       r.workers,
       r.tasks,
       r.first_at,
       r.last_at,
       r.part_count,
       latest.message,
       latest.exception_name,
       latest.task_id,
       latest.source_id,
       CASE WHEN r.part = 'kind'
            THEN (SELECT o.exception FROM occurrences o WHERE o.id = r.latest_id LIMIT 1)
       END AS stack_trace
FROM ranked r
JOIN kind_errors latest ON latest.id = r.latest_id
WHERE r.rank <= :limit OR r.part = 'time'
ORDER BY r.part = 'kind' DESC, r.part = 'worker' DESC, r.part = 'task' DESC, r.rank
