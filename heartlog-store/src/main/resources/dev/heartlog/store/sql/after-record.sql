-- A condition (logs-from.sql and task-records-after.sql read it in with \ir): the records that
-- come after record :after_id, made at :after_ts with sequence number :after_seq (log-position.sql),
-- in the listing's order read forwards (time, then sequence number, records without one first,
-- then id), those of its very time included; every record where :after_id is NULL.
  AND (:after_id::bigint IS NULL
       OR timestamp >= :after_ts::timestamptz
          AND (timestamp > :after_ts::timestamptz
               OR CASE WHEN :after_seq::bigint IS NULL THEN seq IS NOT NULL OR id > :after_id::bigint
                       ELSE seq > :after_seq::bigint
                            OR (seq = :after_seq::bigint AND id > :after_id::bigint) END))
