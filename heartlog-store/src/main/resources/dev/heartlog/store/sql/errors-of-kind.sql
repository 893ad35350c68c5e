-- One kind's errors, each whole: those of kind :kind (its id, as error-kinds.sql gives it) made
-- in [:since, :until), of :worker and :task where given, the newest :limit, listed newest first
-- as logs.sql lists records (by time, then id); after record :before_id, made at :before_ts,
-- where one is given: the next page. They are picked through range-errors.sql, so that they are
-- exactly the errors the kind's count counts, a flood's count record among them (of the kind of
-- the records it repeats), then read whole, each by its time and id through the errors index.
\ir range-errors.sql
, picked AS (
    SELECT e.id, e.timestamp
    FROM errors e
    JOIN kind_ids i ON i.kind = e.kind
    WHERE i.kind_id = :kind::text
      AND (:task::text IS NULL OR e.task_id = :task::text)
      AND (:before_id::bigint IS NULL
           OR e.timestamp < :before_ts::timestamptz
           OR (e.timestamp = :before_ts::timestamptz AND e.id < :before_id::bigint))
    ORDER BY e.timestamp DESC, e.id DESC
    LIMIT :limit
)
SELECT l.id,
       l.timestamp,
       l.created_at,
       l.level,
       l.message,
       l.source_id,
       l.task_id,
       l.metadata::text         AS metadata,
       l.metadata->>'exception' AS exception,
       l.session_id,
       l.seq
FROM picked p
JOIN system_logs l ON l.timestamp = p.timestamp AND l.id = p.id AND l.level IN ('ERROR', 'CRITICAL')
ORDER BY l.timestamp DESC, l.id DESC
