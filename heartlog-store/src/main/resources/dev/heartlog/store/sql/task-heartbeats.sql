-- Heartbeats sent while a worker reported the task as current: its VRAM over the task.
SELECT worker_id, received_at, status, vram_total_mb, vram_used_mb, records, current_task_id
FROM worker_heartbeats
WHERE current_task_id = :task
ORDER BY received_at
