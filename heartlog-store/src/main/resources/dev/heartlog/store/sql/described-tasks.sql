-- The tasks with a record in the range (of :worker, where given) whose metadata contains one of
-- :meta's objects (MetadataFilter): those a task list with a metadata filter picks among, whatever
-- record picks them (the record that fails a task seldom names the model its first record named).
-- Read once, before recent-tasks.sql's windows, each of which would otherwise read the range again.
SELECT DISTINCT task_id
FROM system_logs
WHERE task_id IS NOT NULL
  AND metadata @> ANY (:meta::jsonb[])
  AND (:worker::text IS NULL OR source_id = :worker::text)
  AND (:since::timestamptz IS NULL OR timestamp >= :since::timestamptz)
  AND (:until::timestamptz IS NULL OR timestamp < :until::timestamptz)
