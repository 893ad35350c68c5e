-- One record, whole, by its id: the point of the records around it (Store.logsAround).
SELECT id,
       timestamp,
       created_at,
       level,
       message,
       source_id,
       task_id,
       metadata::text        AS metadata,
       metadata->>'exception' AS exception,
       session_id,
       seq
FROM system_logs
WHERE id = :id
