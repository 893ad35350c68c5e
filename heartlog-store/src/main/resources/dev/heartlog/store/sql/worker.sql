-- One worker's row, with the age of its last heartbeat in seconds.
SELECT id,
       status,
       last_heartbeat,
       extract(epoch FROM now() - last_heartbeat)::bigint AS heartbeat_age_s,
       vram_total_mb,
       vram_used_mb,
       current_task_id
FROM workers
WHERE id = :worker
