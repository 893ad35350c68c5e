-- The heartbeats of a task (:task: those sent while a worker reported it as current) or of a
-- worker since a time (:worker and :since), oldest first: VRAM over time, and the task each
-- reported. `sent`, on every row, is how many there are. Past :points, they are cut, in the
-- order they came, into :points spans of as many each, and each worker keeps, of its heartbeats
-- in a span, the one of the most VRAM used (the latest where none reported any). An answer stays
-- small however long a task ran (48 hours at 2 s: 86,400 heartbeats, 15.2 MB of JSON whole), a
-- worker's chart covers the whole range asked for (every 2 s, as the demo's, is 10,800 in its 6
-- hours), and the peaks stay the ones reported.
-- A filter given as NULL does not filter; each call is planned with its values, so a task reads
-- the task index and a worker its own.
-- The spans are picked among narrow rows, and only the heartbeats kept are read whole, by their
-- ctid: a first version that sorted whole rows spilled them to disk (86,400 heartbeats: 120 ms
-- against 230; BENCHMARKS.md §3, "A task that heartbeat for two days").
WITH chosen AS NOT MATERIALIZED (
    SELECT worker_id, received_at, vram_used_mb, ctid AS heartbeat
    FROM worker_heartbeats
    WHERE (:task::text IS NULL OR current_task_id = :task::text)
      AND (:worker::text IS NULL OR worker_id = :worker::text)
      AND (:since::timestamptz IS NULL OR received_at >= :since::timestamptz)
),
sent AS (
    SELECT count(*) AS sent FROM chosen
),
kept AS (
    SELECT DISTINCT ON (span, worker_id) heartbeat
    FROM (SELECT chosen.*,
                 (row_number() OVER (ORDER BY received_at, worker_id) - 1) * :points::bigint / sent.sent AS span
          FROM chosen, sent) AS numbered
    ORDER BY span, worker_id, vram_used_mb DESC NULLS LAST, received_at DESC
)
SELECT h.worker_id, h.received_at, h.status, h.vram_total_mb, h.vram_used_mb, h.records, h.current_task_id,
       sent.sent
FROM kept
JOIN worker_heartbeats h ON h.ctid = kept.heartbeat
CROSS JOIN sent
ORDER BY h.received_at, h.worker_id
