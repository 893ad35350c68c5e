-- What the records take in the database: system_logs' partitions with their indexes and TOAST
-- (pg_total_relation_size), and how many partitions there are (a day's each, and the default).
SELECT coalesce(sum(pg_total_relation_size(i.inhrelid)), 0)::bigint AS bytes,
       count(*)                                                     AS partitions
FROM pg_inherits i
WHERE i.inhparent = 'system_logs'::regclass
