-- A worker shown from its heartbeats rather than its row in `workers`. Either it has no row: the
-- orchestrator removed it (an instance scaled away), while its records and heartbeats are kept
-- their 48 hours for a post-mortem. Or the orchestrator's table refused its row at a heartbeat
-- since the last that wrote it (V13): a worker it never registered, a status it does not list
-- ('stopped'). Its health is its newest heartbeat's status for a refused row, else 'unknown'; its
-- last heartbeat and task are those of its newest heartbeat, its VRAM too unless that heartbeat
-- sent none (then the row's, if any); its problems of the last hour are counted from its records,
-- a flood's count as the errors it stands for (R__repeat_count.sql).
-- No row when the store has neither.
SELECT :worker::text                                                   AS id,
       CASE WHEN r.reason IS NULL THEN 'unknown'
            ELSE heartlog_worker_health(h.status, h.received_at, make_interval(secs => :stale_after_s))
       END                                                             AS health,
       h.received_at                                                   AS last_heartbeat,
       extract(epoch FROM now() - h.received_at)::bigint               AS heartbeat_age_s,
       -- A heartbeat without VRAM figures leaves the row's, if any, as the ingest function does.
       coalesce(h.vram_total_mb, w.vram_total_mb)                      AS vram_total_mb,
       coalesce(h.vram_used_mb, w.vram_used_mb)                        AS vram_used_mb,
       h.current_task_id,
       (SELECT coalesce(sum(coalesce(heartlog_repeat_count(l.message, l.metadata), 1)), 0)::bigint FROM system_logs l
        WHERE l.source_id = :worker::text AND l.timestamp >= now() - interval '1 hour'
          AND l.level IN ('ERROR', 'CRITICAL'))                         AS errors_last_hour,
       (SELECT count(*) FROM system_logs l
        WHERE l.source_id = :worker::text AND l.timestamp >= now() - interval '1 hour'
          AND l.level = 'WARNING')                                      AS warnings_last_hour,
       -- Its clock at that heartbeat against the store's, as the ingest function reads it (V12).
       heartlog_heartbeat_skew_ms(h.metadata, h.received_at)           AS clock_skew_ms,
       NULL::timestamptz                                               AS shared_id_at,
       r.reason                                                        AS worker_row_error,
       left(h.metadata ->> 'gpu_problem', 500)                         AS gpu_problem
FROM (SELECT 1) AS one
LEFT JOIN worker_row_refusals r ON r.worker_id = :worker::text
LEFT JOIN workers w ON w.id = :worker::text
LEFT JOIN LATERAL (SELECT status, received_at, vram_total_mb, vram_used_mb, current_task_id, metadata
                   FROM worker_heartbeats
                   WHERE worker_id = :worker::text
                   ORDER BY received_at DESC
                   LIMIT 1) AS h ON true
WHERE h.received_at IS NOT NULL
   OR EXISTS (SELECT 1 FROM system_logs WHERE source_id = :worker::text)
