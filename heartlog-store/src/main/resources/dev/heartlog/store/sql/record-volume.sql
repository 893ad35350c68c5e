-- How much the records made in [:since, :until), of :worker where one is given, take, grouped
-- by :by ('worker', 'component', 'level' or 'task'): each part's records and the bytes of their
-- messages and metadata as stored (pg_column_size: after compression, before the row's own
-- overhead and the indexes), the most records first, the first :limit; and, on every row, how
-- many parts and how many records and bytes there are in all. A record's component is its
-- metadata's "component", else its "logger", as levels per component read it; a record without
-- one, or outside a task, is the part NULL. Read through the records' BRIN index on time: an
-- hour of a 10-million-record store is some 200,000 records.
SELECT part,
       count(*)                          AS records,
       sum(bytes)::bigint                AS bytes,
       count(*) OVER ()                  AS part_count,
       sum(count(*)) OVER ()::bigint     AS record_count,
       sum(sum(bytes)) OVER ()::bigint   AS byte_count
FROM (
    SELECT CASE :by::text
               WHEN 'worker' THEN source_id
               WHEN 'component' THEN coalesce(metadata->>'component', metadata->>'logger')
               WHEN 'level' THEN level
               WHEN 'task' THEN task_id
           END AS part,
           octet_length(message) + coalesce(pg_column_size(metadata), 0) AS bytes
    FROM system_logs
    WHERE timestamp >= :since::timestamptz
      AND (:until::timestamptz IS NULL OR timestamp < :until::timestamptz)
      AND (:worker::text IS NULL OR source_id = :worker::text)
) r
GROUP BY part
ORDER BY records DESC, part NULLS LAST
LIMIT :limit
