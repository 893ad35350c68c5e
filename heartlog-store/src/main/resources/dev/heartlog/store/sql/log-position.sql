-- Where one record stands in the listing's order (time, then sequence number): the page of
-- records older than it (Store.logsBefore) starts after it, ties on time included.
SELECT timestamp, seq
FROM system_logs
WHERE id = :id
