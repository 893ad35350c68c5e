-- A task's records in the order of its timeline, the listing's order read forwards (time, then
-- sequence number, records without one first, then id): the first :limit of them, or with
-- :after_id (and its :after_ts and :after_seq, log-position.sql) the first :limit that come
-- after that record, ties on time included. A long task's page fills its gap with these, and
-- `heartlog task` prints a timeline of any length page by page.
SELECT
\ir record-columns.sql
FROM system_logs
WHERE task_id = :task
  AND (:after_id::bigint IS NULL
       OR timestamp >= :after_ts::timestamptz
          AND (timestamp > :after_ts::timestamptz
               OR CASE WHEN :after_seq::bigint IS NULL THEN seq IS NOT NULL OR id > :after_id::bigint
                       ELSE seq > :after_seq::bigint
                            OR (seq = :after_seq::bigint AND id > :after_id::bigint) END))
ORDER BY timestamp, seq NULLS FIRST, id
LIMIT :limit
