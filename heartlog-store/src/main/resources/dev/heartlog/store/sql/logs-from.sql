-- Log records matching the filters from a point on, oldest first: the later half of the records
-- around a point (Store.logsAround), in the listing's order read forwards (time, then sequence
-- number, records without one first, then id), as task-records-after.sql reads a task's. The
-- point is a time, :since, from which records are listed, or a record, :after_id (made at
-- :after_ts, with sequence number :after_seq; log-position.sql), after which they are: those
-- of its time too that come after it. :window_s, where given, looks only that many seconds on
-- from :window_start, for the search of the oldest records by growing windows; it bounds the
-- records' time from above only. The other filters are record-filters.sql's.
SELECT
\ir record-columns.sql
FROM system_logs
WHERE
\ir record-filters.sql
  AND (:since::timestamptz IS NULL OR timestamp >= :since::timestamptz)
\ir after-record.sql
  AND (:window_s::bigint IS NULL
       OR timestamp < :window_start::timestamptz + make_interval(secs => :window_s::bigint))
ORDER BY timestamp, seq NULLS FIRST, id
LIMIT :limit
