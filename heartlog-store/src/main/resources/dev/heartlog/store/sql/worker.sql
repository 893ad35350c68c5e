-- One worker as the fleet view shows it (the columns and the counting of workers.sql), the
-- records before its counted periods read through its own timeline index. No row for a worker
-- whose row the orchestrator's table refused since it was last written (V13): it is shown from
-- its heartbeats (worker-from-heartbeats.sql), as the fleet view shows it.
SELECT w.id,
       -- last_heartbeat read as a time whatever the column's type (R__worker_health.sql).
       heartlog_worker_health(w.status::text, heartlog_heartbeat_time(w.last_heartbeat),
                              make_interval(secs => :stale_after_s)) AS health,
       heartlog_heartbeat_time(w.last_heartbeat) AS last_heartbeat,
       extract(epoch FROM now() - heartlog_heartbeat_time(w.last_heartbeat))::bigint AS heartbeat_age_s,
       w.vram_total_mb,
       w.vram_used_mb,
       w.current_task_id::text AS current_task_id,
       heartlog_recent_problems(w.problem_errors, heartlog_period(now()) - 11)
           + (SELECT coalesce(sum(coalesce(heartlog_repeat_count(l.message, l.metadata), 1)), 0) FROM system_logs l
              WHERE l.source_id = w.id
                AND l.timestamp >= now() - interval '1 hour'
                AND l.timestamp < to_timestamp((heartlog_period(now()) - 11) * 300)
                AND l.level IN ('ERROR', 'CRITICAL'))::bigint   AS errors_last_hour,
       heartlog_recent_problems(w.problem_warnings, heartlog_period(now()) - 11)
           + (SELECT count(*) FROM system_logs l
              WHERE l.source_id = w.id
                AND l.timestamp >= now() - interval '1 hour'
                AND l.timestamp < to_timestamp((heartlog_period(now()) - 11) * 300)
                AND l.level = 'WARNING')                AS warnings_last_hour,
       w.clock_skew_ms,
       -- Several processes send heartbeats under this id (V15): in the last 10 minutes.
       CASE WHEN w.shared_id_at > now() - interval '10 minutes' THEN w.shared_id_at END AS shared_id_at,
       NULL AS worker_row_error,
       w.gpu_problem
FROM workers w
WHERE w.id = :worker::text
  AND NOT EXISTS (SELECT FROM worker_row_refusals r
                  WHERE r.worker_id = w.id
                    AND r.refused_at > coalesce(heartlog_heartbeat_time(w.last_heartbeat), '-infinity'))
