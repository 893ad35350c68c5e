-- The seed's fallback heartbeat (PATCH /rest/v1/workers?id=eq.<id>): fields a client left out
-- (NULL) keep their value.
UPDATE workers
SET last_heartbeat  = coalesce(:last_heartbeat::timestamptz, now()),
    status          = coalesce(:status::text, status),
    vram_total_mb   = coalesce(:vram_total_mb::integer, vram_total_mb),
    vram_used_mb    = coalesce(:vram_used_mb::integer, vram_used_mb),
    current_task_id = CASE WHEN :set_task::boolean THEN :current_task_id::text ELSE current_task_id END
WHERE id = :worker_id::text
RETURNING id
