-- Records stored after a known id, in the order they were stored: what `--follow` prints next;
-- and those of the ids in :also_ids (ids below it whose records were not visible yet, because
-- ids are given at insert and transactions commit in any order).
SELECT id,
       timestamp,
       created_at,
       level,
       message,
       source_id,
       task_id,
       metadata::text        AS metadata,
       metadata->>'exception' AS exception,
       session_id,
       seq
FROM system_logs
WHERE (id > :after_id OR id = ANY (:also_ids::bigint[]))
  AND (:worker::text IS NULL OR source_id = :worker::text)
  AND (:task::text IS NULL OR task_id = :task::text)
  AND level = ANY (:levels::text[])
  AND (:grep::text IS NULL OR strpos(lower(message), lower(:grep::text)) > 0)
ORDER BY id
LIMIT :limit
