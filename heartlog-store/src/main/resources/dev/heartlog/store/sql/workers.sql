-- Fleet health: every worker, its heartbeat age, and its warnings and errors of the last hour.
-- A worker that says it is active but has not sent a heartbeat for :stale_after_s seconds is
-- reported as 'stale'. The last hour's problems are counted once, through the partial index on
-- WARNING and above, then joined: counting per worker scanned every worker's whole hour.
WITH problems AS (
    SELECT source_id,
           count(*) FILTER (WHERE level IN ('ERROR', 'CRITICAL')) AS errors,
           count(*) FILTER (WHERE level = 'WARNING')             AS warnings
    FROM system_logs
    WHERE timestamp >= now() - interval '1 hour'
      AND level IN ('WARNING', 'ERROR', 'CRITICAL')
    GROUP BY source_id
)
SELECT w.id,
       heartlog_worker_health(w.status, w.last_heartbeat, make_interval(secs => :stale_after_s)) AS health,
       w.last_heartbeat,
       extract(epoch FROM now() - w.last_heartbeat)::bigint AS heartbeat_age_s,
       w.vram_total_mb,
       w.vram_used_mb,
       w.current_task_id,
       coalesce(p.errors, 0)   AS errors_last_hour,
       coalesce(p.warnings, 0) AS warnings_last_hour
FROM workers w
LEFT JOIN problems p ON p.source_id = w.id
ORDER BY w.id
