-- The newest record id, where `--follow` starts when nothing was printed yet.
SELECT coalesce(max(id), 0) AS id FROM system_logs
