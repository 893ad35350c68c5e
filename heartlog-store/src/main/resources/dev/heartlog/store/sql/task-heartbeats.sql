-- Heartbeats sent while a worker reported the task as current: its VRAM over the task, oldest
-- first, with how many were sent (`sent`, on every row). Past :points, the task's heartbeats, in
-- the order they came, are cut into :points spans of as many each, and each worker keeps, of its
-- heartbeats in a span, the one of the most VRAM used (the latest where none reported any): a
-- task's answer stays small however long it ran (48 hours at 2 s: 86,400 heartbeats, 15.2 MB
-- of JSON whole), while the chart's peaks, and the task's peak, stay the ones reported.
-- The spans are picked among narrow rows, and only the heartbeats kept are read whole, by their
-- ctid: a first version that sorted whole rows spilled them to disk (86,400 heartbeats: 120 ms
-- against 230; BENCHMARKS.md §3, "A task that heartbeat for two days").
WITH sent AS (
    SELECT count(*) AS sent
    FROM worker_heartbeats
    WHERE current_task_id = :task::text
),
kept AS (
    SELECT DISTINCT ON (span, worker_id) heartbeat
    FROM (SELECT worker_id, received_at, vram_used_mb, ctid AS heartbeat,
                 (row_number() OVER (ORDER BY received_at, worker_id) - 1) * :points::bigint / sent.sent AS span
          FROM worker_heartbeats, sent
          WHERE current_task_id = :task::text) AS numbered
    ORDER BY span, worker_id, vram_used_mb DESC NULLS LAST, received_at DESC
)
SELECT h.worker_id, h.received_at, h.status, h.vram_total_mb, h.vram_used_mb, h.records, h.current_task_id,
       sent.sent
FROM kept
JOIN worker_heartbeats h ON h.ctid = kept.heartbeat
CROSS JOIN sent
ORDER BY h.received_at, h.worker_id
