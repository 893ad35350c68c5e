-- The orchestrator schema exactly as the seed design (shared/seed/worker-centralized-logging.md)
-- gives it, plus the `workers` table it assumes: what deployed databases look like before
-- heartlog. Tests use it to check that heartlog agents work against such databases.
CREATE TABLE IF NOT EXISTS workers (
  id TEXT PRIMARY KEY,
  status TEXT,
  last_heartbeat TIMESTAMPTZ,
  vram_total_mb INT,
  vram_used_mb INT,
  current_task_id TEXT
);

CREATE TABLE IF NOT EXISTS system_logs (
  id BIGSERIAL PRIMARY KEY,
  timestamp TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  level TEXT NOT NULL,
  message TEXT NOT NULL,
  source_type TEXT NOT NULL,
  source_id TEXT NOT NULL,
  task_id TEXT,
  metadata JSONB DEFAULT '{}'::jsonb,
  created_at TIMESTAMPTZ DEFAULT NOW()
);

CREATE INDEX idx_system_logs_timestamp ON system_logs(timestamp DESC);
CREATE INDEX idx_system_logs_source ON system_logs(source_type, source_id);
CREATE INDEX idx_system_logs_task_id ON system_logs(task_id) WHERE task_id IS NOT NULL;
CREATE INDEX idx_system_logs_level ON system_logs(level);

CREATE OR REPLACE FUNCTION func_worker_heartbeat_with_logs(
  worker_id_param TEXT,
  vram_total_mb_param INT,
  vram_used_mb_param INT,
  logs_param JSONB,
  current_task_id_param TEXT
)
RETURNS JSONB
LANGUAGE plpgsql
AS $$
DECLARE
  logs_inserted INT := 0;
BEGIN
  UPDATE workers
  SET
    last_heartbeat = NOW(),
    status = 'active',
    vram_total_mb = COALESCE(vram_total_mb_param, vram_total_mb),
    vram_used_mb = COALESCE(vram_used_mb_param, vram_used_mb),
    current_task_id = current_task_id_param
  WHERE id = worker_id_param;

  IF logs_param IS NOT NULL AND jsonb_array_length(logs_param) > 0 THEN
    INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id, metadata)
    SELECT
      (log->>'timestamp')::TIMESTAMPTZ,
      log->>'level',
      log->>'message',
      'worker',
      worker_id_param,
      log->>'task_id',
      COALESCE(log->'metadata', '{}'::jsonb)
    FROM jsonb_array_elements(logs_param) AS log;

    GET DIAGNOSTICS logs_inserted = ROW_COUNT;
  END IF;

  RETURN jsonb_build_object(
    'success', true,
    'logs_inserted', logs_inserted
  );
END;
$$;
