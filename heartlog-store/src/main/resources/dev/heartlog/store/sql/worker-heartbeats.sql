-- A worker's heartbeat history since a time: its VRAM over time and the task it reported. The
-- newest :limit, oldest first: a worker heartbeating faster than the limit allows over the range
-- (every 2 s, as the demo's do, is 10,800 in 6 hours) shows its latest hours, not its first.
SELECT *
FROM (SELECT worker_id, received_at, status, vram_total_mb, vram_used_mb, records, current_task_id
      FROM worker_heartbeats
      WHERE worker_id = :worker::text
        AND received_at >= :since::timestamptz
      ORDER BY received_at DESC
      LIMIT :limit) AS newest
ORDER BY received_at
