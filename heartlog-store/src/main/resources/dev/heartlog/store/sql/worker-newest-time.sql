-- The time of a worker's newest record (by its own clock); NULL for a worker with none.
SELECT max(timestamp) AS newest
FROM system_logs
WHERE source_id = :worker::text
