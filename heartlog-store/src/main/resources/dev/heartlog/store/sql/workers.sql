-- Fleet health: every worker, its heartbeat age, and its warnings and errors of the last hour.
-- A worker that says it is active but has not sent a heartbeat for :stale_after_s seconds is
-- reported as 'stale'.
SELECT w.id,
       CASE WHEN w.status = 'active'
                 AND (w.last_heartbeat IS NULL
                      OR w.last_heartbeat < now() - make_interval(secs => :stale_after_s))
            THEN 'stale' ELSE w.status END              AS health,
       w.last_heartbeat,
       extract(epoch FROM now() - w.last_heartbeat)::bigint AS heartbeat_age_s,
       w.vram_total_mb,
       w.vram_used_mb,
       w.current_task_id,
       coalesce(c.errors, 0)   AS errors_last_hour,
       coalesce(c.warnings, 0) AS warnings_last_hour
FROM workers w
LEFT JOIN LATERAL (
    SELECT count(*) FILTER (WHERE l.level IN ('ERROR', 'CRITICAL')) AS errors,
           count(*) FILTER (WHERE l.level = 'WARNING')             AS warnings
    FROM system_logs l
    WHERE l.source_id = w.id
      AND l.timestamp >= now() - interval '1 hour'
      AND l.level IN ('WARNING', 'ERROR', 'CRITICAL')
) c ON true
ORDER BY w.id
