-- Where the windows of one kind's newest errors end (RecordReads.errorsOfKind): the time of the
-- newest error (ERROR or CRITICAL record) made in [:since, :until), of :worker where one is given,
-- read back from the end through the errors index; NULL where the range holds none.
SELECT max(timestamp) AS newest
FROM system_logs
WHERE level IN ('ERROR', 'CRITICAL')
  AND timestamp >= :since::timestamptz
  AND (:until::timestamptz IS NULL OR timestamp < :until::timestamptz)
  AND (:worker::text IS NULL OR source_id = :worker::text)
