-- The next read of those following the store (heartlog serve's live tail, logs --follow): every
-- id stored after :after_id up to :until_id, and the ids in :also_ids (ids below it whose records
-- were not visible yet: ids are given at insert and transactions commit in any order), in id
-- order. The upper bound keeps a read as cheap when the follower is far behind as when it is not:
-- the id index (BRIN) gives its rows in no order, and all of them were read and sorted to return
-- the first :limit.
--
-- The follower needs every id, to tell an id it has seen from one still to come; it needs the
-- record only where it may want it: one of :workers (NULL: any), one of :tasks (NULL: any), one
-- of :levels, :grep in its message (NULL: any), of :component or below it (NULL: any), and with
-- metadata containing one of :meta (NULL: any). So
-- following a fleet's errors reads a few bytes for each of its other records, not each whole
-- record.
SELECT id,
       wanted,
       CASE WHEN wanted THEN timestamp END                AS timestamp,
       CASE WHEN wanted THEN created_at END               AS created_at,
       CASE WHEN wanted THEN level END                    AS level,
       CASE WHEN wanted THEN message END                  AS message,
       CASE WHEN wanted THEN source_id END                AS source_id,
       CASE WHEN wanted THEN task_id END                  AS task_id,
       CASE WHEN wanted THEN metadata::text END           AS metadata,
       CASE WHEN wanted THEN metadata->>'exception' END   AS exception,
       CASE WHEN wanted THEN session_id END               AS session_id,
       CASE WHEN wanted THEN seq END                      AS seq
FROM (SELECT l.*,
             (:workers::text[] IS NULL OR l.source_id = ANY (:workers::text[]))
             AND (:tasks::text[] IS NULL OR l.task_id = ANY (:tasks::text[]))
             AND l.level = ANY (:levels::text[])
             AND (:grep::text IS NULL OR strpos(lower(l.message), lower(:grep::text)) > 0)
             AND (:component::text IS NULL
                  OR lower(coalesce(l.metadata->>'component', l.metadata->>'logger')) = lower(:component::text)
                  OR starts_with(lower(coalesce(l.metadata->>'component', l.metadata->>'logger')),
                                 lower(:component::text) || '.'))
             AND (:meta::jsonb[] IS NULL OR l.metadata @> ANY (:meta::jsonb[])) AS wanted
      FROM system_logs l
      WHERE (l.id > :after_id AND l.id <= :until_id) OR l.id = ANY (:also_ids::bigint[])
      ORDER BY l.id
      LIMIT :limit) AS next
ORDER BY id
