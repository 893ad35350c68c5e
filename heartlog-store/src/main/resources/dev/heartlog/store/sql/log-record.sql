-- One record, whole, by its id: the point of the records around it (Store.logsAround).
SELECT
\ir record-columns.sql
FROM system_logs
WHERE id = :id
