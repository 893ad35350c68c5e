-- heartlog's call: the seed's five arguments plus status, session, batch number and metadata.
SELECT func_worker_heartbeat_with_logs(
           worker_id_param       => ?,
           vram_total_mb_param   => ?,
           vram_used_mb_param    => ?,
           logs_param            => ?::jsonb,
           current_task_id_param => ?,
           status_param          => ?,
           session_id_param      => ?,
           batch_seq_param       => ?,
           metadata_param        => ?::jsonb)::text
