-- The columns of a record as Rows.storedRecord reads them: the listings (logs.sql, logs-from.sql,
-- logs-after.sql, log-record.sql, task-records-after.sql, task-traced-error.sql) read them in
-- with \ir after SELECT.
       id,
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
