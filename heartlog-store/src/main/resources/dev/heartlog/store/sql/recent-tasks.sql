-- The tasks that logged in a time range, across the fleet or on one worker: the most recently
-- active first (with :levels the error levels, the latest failure first). Only their ids: each is
-- summed up by task-summaries.sql once the list is known, so a window that does not fill costs
-- the reading of its records and nothing more.
-- A filter given as NULL does not filter; each call is planned with its values, so the error
-- levels read the errors index and a worker its timeline index. :window_s, where given, picks
-- only among the records of that many seconds back from :window_end (RecordReads.tasks's search
-- in growing windows, as for the newest records); it bounds their time from below only.
-- :tasks, where given, picks only among those tasks (described-tasks.sql's, for a metadata filter).
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
  AND (:tasks::text[] IS NULL OR task_id = ANY (:tasks::text[]))
GROUP BY task_id
ORDER BY latest DESC, task_id
LIMIT :limit
