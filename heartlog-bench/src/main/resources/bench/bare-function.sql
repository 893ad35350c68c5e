-- heartlog-bare (IngestLoad): heartlog's table, called through a function with none of heartlog's
-- guarantees: the set-based insert of the records as they come and an UPDATE of the worker's
-- row, as the seed's function does. Measured only: the same signature, so the same calls reach it.
CREATE OR REPLACE FUNCTION func_worker_heartbeat_with_logs(
    worker_id_param text, vram_total_mb_param integer DEFAULT NULL, vram_used_mb_param integer DEFAULT NULL,
    logs_param jsonb DEFAULT '[]'::jsonb, current_task_id_param text DEFAULT NULL,
    status_param text DEFAULT 'active', session_id_param text DEFAULT NULL,
    batch_seq_param bigint DEFAULT NULL, metadata_param jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
    logs_inserted integer;
BEGIN
    INSERT INTO system_logs
        (timestamp, level, message, source_type, source_id, task_id, metadata, session_id, seq)
    SELECT r.timestamp, r.level, r.message, 'worker', worker_id_param, r.task_id, r.metadata,
           session_id_param, r.seq
    FROM jsonb_to_recordset(logs_param) AS r(
        "timestamp" timestamptz, level text, message text, task_id text, metadata jsonb, seq bigint);
    GET DIAGNOSTICS logs_inserted = ROW_COUNT;
    UPDATE workers
    SET last_heartbeat = now(), vram_total_mb = vram_total_mb_param,
        vram_used_mb = vram_used_mb_param, current_task_id = current_task_id_param
    WHERE id = worker_id_param;
    RETURN jsonb_build_object('success', true, 'logs_inserted', logs_inserted);
END;
$$;
