-- What the records take in the database: system_logs' partitions with their indexes and TOAST
-- (pg_total_relation_size), and how many partitions there are (a day's each, and the default);
-- and what the heartbeats take, worker_heartbeats with its indexes, the other table that grows
-- with the fleet (a row every 20 s a worker).
SELECT coalesce(sum(pg_total_relation_size(i.inhrelid)), 0)::bigint AS bytes,
       count(*)                                                     AS partitions,
       pg_total_relation_size('worker_heartbeats'::regclass)        AS heartbeat_bytes
FROM pg_inherits i
WHERE i.inhparent = 'system_logs'::regclass
