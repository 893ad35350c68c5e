-- One heartbeat as `heartlog serve` received it from any client (agent, Python worker, sidecar).
-- An argument the client left out is NULL here, which the function treats as its default.
SELECT func_worker_heartbeat_with_logs(
           worker_id_param       => :worker_id::text,
           vram_total_mb_param   => :vram_total_mb::integer,
           vram_used_mb_param    => :vram_used_mb::integer,
           logs_param            => :logs::jsonb,
           current_task_id_param => :current_task_id::text,
           status_param          => :status::text,
           session_id_param      => :session_id::text,
           batch_seq_param       => :batch_seq::bigint,
           metadata_param        => :metadata::jsonb)::text AS result
