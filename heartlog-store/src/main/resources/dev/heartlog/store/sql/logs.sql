-- Log records matching the filters, newest first; callers print them oldest first.
-- A filter given as NULL does not filter. The store plans each call with its actual values
-- (plan_cache_mode = force_custom_plan, or an unnamed statement), so `:worker IS NULL OR ...`
-- costs nothing and the matching index is used. :window_s, where given, looks only that many
-- seconds back from :window_end, for Store.logs's search of the newest records by growing
-- windows; it bounds the records' time from below only. :before_id, with :before_ts and
-- :before_seq, keeps only the records that come after that record in this order (the next
-- page): those of its time too that come after it, which a bound on time alone would skip.
-- The other filters are record-filters.sql's.
SELECT
\ir record-columns.sql
FROM system_logs
WHERE
\ir record-filters.sql
  AND (:since::timestamptz IS NULL OR timestamp >= :since::timestamptz)
  AND (:until::timestamptz IS NULL OR timestamp < :until::timestamptz)
  AND (:before_id::bigint IS NULL
       OR timestamp <= :before_ts::timestamptz
          AND (timestamp < :before_ts::timestamptz
               OR CASE WHEN :before_seq::bigint IS NULL THEN seq IS NULL AND id < :before_id::bigint
                       ELSE seq IS NULL OR seq < :before_seq::bigint
                            OR (seq = :before_seq::bigint AND id < :before_id::bigint) END))
  AND (:window_s::bigint IS NULL
       OR timestamp >= :window_end::timestamptz - make_interval(secs => :window_s::bigint))
ORDER BY timestamp DESC, seq DESC NULLS LAST, id DESC
LIMIT :limit
