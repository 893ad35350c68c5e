-- Fleet health: every worker, its heartbeat age, and its warnings and errors of the last hour.
-- A worker that says it is active but has not sent a heartbeat for :stale_after_s seconds is
-- reported as 'stale'. The last hour's problems are each worker's counts for the 12 5-minute
-- periods up to now, kept by the ingest function (migration V7), plus the records of the
-- minutes between an hour ago and the first of those periods, counted through the problems
-- index (the "edge": under 5 minutes of the fleet's problems). A flood's count ("repeated 4188
-- more times: ...") is the errors it stands for, here (R__repeat_count.sql) as in the agent's
-- counts. The counts are in the store's
-- time, a skewed worker's too (clock_skew_ms, migration V12); the edge is in each worker's own.
WITH edge AS (
    SELECT source_id,
           coalesce(sum(coalesce(heartlog_repeat_count(message, metadata), 1))
                        FILTER (WHERE level IN ('ERROR', 'CRITICAL')), 0)::bigint AS errors,
           count(*) FILTER (WHERE level = 'WARNING')             AS warnings
    FROM system_logs
    WHERE timestamp >= now() - interval '1 hour'
      AND timestamp < to_timestamp((heartlog_period(now()) - 11) * 300)
      AND level IN ('WARNING', 'ERROR', 'CRITICAL')
    GROUP BY source_id
),
-- The workers whose row the orchestrator's table refused at a heartbeat since the last that
-- wrote it (V13): one it never registered, or one whose status it does not list ('stopped').
-- Their row, if any, is older than what they said since, so they are shown from their newest
-- heartbeat, as worker-from-heartbeats.sql shows one. Few, if any.
refused AS (
    SELECT r.worker_id, r.reason, w.vram_total_mb, w.vram_used_mb
    FROM worker_row_refusals r
    LEFT JOIN workers w ON w.id = r.worker_id
    WHERE r.refused_at > coalesce(heartlog_heartbeat_time(w.last_heartbeat), '-infinity')
)
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
           + coalesce(e.errors, 0)   AS errors_last_hour,
       heartlog_recent_problems(w.problem_warnings, heartlog_period(now()) - 11)
           + coalesce(e.warnings, 0) AS warnings_last_hour,
       w.clock_skew_ms,
       -- Several processes send heartbeats under this id (V15): in the last 10 minutes.
       CASE WHEN w.shared_id_at > now() - interval '10 minutes' THEN w.shared_id_at END AS shared_id_at,
       NULL AS worker_row_error,
       -- Why its last heartbeat had no GPU figures, as its agent said (V16).
       w.gpu_problem
FROM workers w
LEFT JOIN edge e ON e.source_id = w.id
WHERE NOT EXISTS (SELECT FROM refused f WHERE f.worker_id = w.id)
UNION ALL
-- Their problems are counted from their records: a refused row kept none of the heartbeat's.
SELECT f.worker_id,
       heartlog_worker_health(h.status, h.received_at, make_interval(secs => :stale_after_s)),
       h.received_at,
       extract(epoch FROM now() - h.received_at)::bigint,
       -- A heartbeat without VRAM figures leaves the row's, as the ingest function does.
       coalesce(h.vram_total_mb, f.vram_total_mb),
       coalesce(h.vram_used_mb, f.vram_used_mb),
       h.current_task_id,
       (SELECT coalesce(sum(coalesce(heartlog_repeat_count(l.message, l.metadata), 1)), 0)::bigint FROM system_logs l
        WHERE l.source_id = f.worker_id AND l.timestamp >= now() - interval '1 hour'
          AND l.level IN ('ERROR', 'CRITICAL')),
       (SELECT count(*) FROM system_logs l
        WHERE l.source_id = f.worker_id AND l.timestamp >= now() - interval '1 hour'
          AND l.level = 'WARNING'),
       heartlog_heartbeat_skew_ms(h.metadata, h.received_at),
       NULL,
       f.reason,
       left(h.metadata ->> 'gpu_problem', 500)
FROM refused f
JOIN LATERAL (SELECT status, received_at, vram_total_mb, vram_used_mb, current_task_id, metadata
              FROM worker_heartbeats
              WHERE worker_id = f.worker_id
              ORDER BY received_at DESC
              LIMIT 1) AS h ON true
ORDER BY id
