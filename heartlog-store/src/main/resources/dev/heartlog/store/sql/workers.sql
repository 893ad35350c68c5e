-- Fleet health: every worker, its heartbeat age, and its warnings and errors of the last hour.
-- A worker that says it is active but has not sent a heartbeat for :stale_after_s seconds is
-- reported as 'stale'. The last hour's problems are each worker's counts for the 12 5-minute
-- periods up to now, kept by the ingest function (migration V7), plus the records of the
-- minutes between an hour ago and the first of those periods, counted through the problems
-- index (the "edge": under 5 minutes of the fleet's problems). The counts are in the store's
-- time, a skewed worker's too (clock_skew_ms, migration V12); the edge is in each worker's own.
WITH edge AS (
    SELECT source_id,
           count(*) FILTER (WHERE level IN ('ERROR', 'CRITICAL')) AS errors,
           count(*) FILTER (WHERE level = 'WARNING')             AS warnings
    FROM system_logs
    WHERE timestamp >= now() - interval '1 hour'
      AND timestamp < to_timestamp((heartlog_period(now()) - 11) * 300)
      AND level IN ('WARNING', 'ERROR', 'CRITICAL')
    GROUP BY source_id
)
SELECT w.id,
       heartlog_worker_health(w.status::text, w.last_heartbeat, make_interval(secs => :stale_after_s)) AS health,
       w.last_heartbeat,
       extract(epoch FROM now() - w.last_heartbeat)::bigint AS heartbeat_age_s,
       w.vram_total_mb,
       w.vram_used_mb,
       w.current_task_id,
       heartlog_recent_problems(w.problem_errors, heartlog_period(now()) - 11)
           + coalesce(e.errors, 0)   AS errors_last_hour,
       heartlog_recent_problems(w.problem_warnings, heartlog_period(now()) - 11)
           + coalesce(e.warnings, 0) AS warnings_last_hour,
       w.clock_skew_ms
FROM workers w
LEFT JOIN edge e ON e.source_id = w.id
ORDER BY w.id
