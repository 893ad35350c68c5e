-- The workers whose clock was :min_ms milliseconds or more off the store's at their last
-- heartbeat (workers.clock_skew_ms, migration V12), the furthest first: their records carry
-- their own times, so a range of times asked of the fleet misses what they logged in it. One
-- pass over the workers' rows.
SELECT id, clock_skew_ms
FROM workers
WHERE abs(clock_skew_ms) >= :min_ms
ORDER BY abs(clock_skew_ms) DESC, id
