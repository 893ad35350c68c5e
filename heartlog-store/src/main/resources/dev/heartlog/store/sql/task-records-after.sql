-- A task's records in the order of its timeline, the listing's order read forwards (time, then
-- sequence number, records without one first, then id): the first :limit of them, or with
-- :after_id (and its :after_ts and :after_seq, log-position.sql) the first :limit that come
-- after that record, ties on time included. A long task's page fills its gap with these, and
-- `heartlog task` prints a timeline of any length page by page.
SELECT
\ir record-columns.sql
FROM system_logs
WHERE task_id = :task
\ir after-record.sql
ORDER BY timestamp, seq NULLS FIRST, id
LIMIT :limit
