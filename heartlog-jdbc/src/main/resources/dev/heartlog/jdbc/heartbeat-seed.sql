-- The seed's 5-argument call, for databases that have only the seed's function.
SELECT func_worker_heartbeat_with_logs(?, ?, ?, ?::jsonb, ?)::text
