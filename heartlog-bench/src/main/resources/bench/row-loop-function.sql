-- How deployed orchestrators isolate bad rows: one BEGIN ... EXCEPTION block per record, into
-- the seed's table. The baseline heartlog's set-based insert with per-row fallback must beat.
CREATE OR REPLACE FUNCTION func_worker_heartbeat_with_logs_row_loop(
  worker_id_param TEXT, vram_total_mb_param INT, vram_used_mb_param INT,
  logs_param JSONB, current_task_id_param TEXT)
RETURNS JSONB
LANGUAGE plpgsql
AS $$
DECLARE
  entry JSONB;
  inserted INT := 0;
BEGIN
  UPDATE workers
  SET last_heartbeat = NOW(), status = 'active',
      vram_total_mb = COALESCE(vram_total_mb_param, vram_total_mb),
      vram_used_mb = COALESCE(vram_used_mb_param, vram_used_mb),
      current_task_id = current_task_id_param
  WHERE id = worker_id_param;
  FOR entry IN SELECT value FROM jsonb_array_elements(logs_param) LOOP
    BEGIN
      INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id, metadata)
      VALUES ((entry->>'timestamp')::TIMESTAMPTZ, entry->>'level', entry->>'message', 'worker',
              worker_id_param, entry->>'task_id', COALESCE(entry->'metadata', '{}'::jsonb));
      inserted := inserted + 1;
    EXCEPTION WHEN OTHERS THEN
      NULL;
    END;
  END LOOP;
  RETURN jsonb_build_object('success', true, 'logs_inserted', inserted);
END;
$$;
