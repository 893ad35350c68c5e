-- Where Store.logs's windows end when no :until is given: the newest time among the last 1,000
-- records stored (the ids near the last one the sequence gave out, through the id index of
-- migration V9), so that a fleet quiet for hours has its newest records found as fast as a busy
-- one; among the last 100,000 ids where those 1,000 hold no record (batches rolled back, the
-- newest records deleted; read only then); or now, where that is earlier (a worker whose clock
-- runs ahead must not carry the windows past the fleet's records) or where no record is found.
SELECT least(coalesce((SELECT max(timestamp) FROM system_logs
                       WHERE :issued::bigint > 0 AND id > :issued::bigint - 1000),
                      (SELECT max(timestamp) FROM system_logs
                       WHERE :issued::bigint > 0 AND id > :issued::bigint - 100000)),
             now()) AS newest
