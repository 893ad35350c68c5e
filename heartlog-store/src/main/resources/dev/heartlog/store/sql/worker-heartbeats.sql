-- A worker's heartbeat history since a time: its VRAM over time and the task it reported.
SELECT worker_id, received_at, status, vram_total_mb, vram_used_mb, records, current_task_id
FROM worker_heartbeats
WHERE worker_id = :worker::text
  AND received_at >= :since::timestamptz
ORDER BY received_at
LIMIT :limit
