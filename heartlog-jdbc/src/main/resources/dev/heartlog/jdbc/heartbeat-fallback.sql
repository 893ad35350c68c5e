-- The seed's fallback when the function is missing: a plain heartbeat on the worker's row.
UPDATE workers
SET last_heartbeat  = now(),
    status          = ?,
    vram_total_mb   = coalesce(?, vram_total_mb),
    vram_used_mb    = coalesce(?, vram_used_mb),
    current_task_id = ?
WHERE id = ?
