-- A worker's health as the fleet view and the worker view show it: its own status, except that a
-- worker saying 'active' whose last heartbeat is older than stale_after (or missing) is 'stale'.
-- One definition for both queries (worker.sql, workers.sql); a SQL function, so it is inlined.
CREATE OR REPLACE FUNCTION heartlog_worker_health(status text, last_heartbeat timestamptz, stale_after interval)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN status = 'active'
                     AND (last_heartbeat IS NULL OR last_heartbeat < now() - stale_after)
                THEN 'stale' ELSE status END
$$;
