-- The seed's fallback when the function is missing: a plain heartbeat on the worker's row.
-- Its time in UTC, as the function writes it, in an orchestrator's `timestamp` without a zone
-- too (heartlog_heartbeat_time in R__worker_health.sql): as text with its offset, which such a
-- column ignores, read by the column's own type. now() as it is would be written there in the
-- session's zone, which pgjdbc sets to the worker machine's.
UPDATE workers
SET last_heartbeat  = (jsonb_populate_record(NULL::workers, jsonb_build_object('last_heartbeat',
                          to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'))).last_heartbeat,
    status          = ?,
    vram_total_mb   = coalesce(?, vram_total_mb),
    vram_used_mb    = coalesce(?, vram_used_mb),
    current_task_id = ?
WHERE id = ?
