-- Where Store.logs's windows end when no :until is given: the newest time among the last 1,000
-- records stored (the ids near the last one the sequence gave out, through the id index of
-- migration V9), so that a fleet quiet for hours has its newest records found as fast as a busy
-- one; or now, where that is earlier (a worker whose clock runs ahead must not carry the windows
-- past the fleet's records) or where no record is found.
SELECT least(max(timestamp), now()) AS newest
FROM system_logs
WHERE :issued::bigint > 0
  AND id > :issued::bigint - 1000
