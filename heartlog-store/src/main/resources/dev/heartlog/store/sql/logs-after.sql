-- Records stored after a known id up to another, in the order they were stored: what a
-- follower that reconnects to the live tail missed (its after=), the newest :limit of them.
-- Following itself reads records-for-followers.sql.
SELECT *
FROM (SELECT id,
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
      WHERE id > :after_id
        AND id <= :until_id
        AND (:worker::text IS NULL OR source_id = :worker::text)
        AND (:task::text IS NULL OR task_id = :task::text)
        AND level = ANY (:levels::text[])
        AND (:grep::text IS NULL OR strpos(lower(message), lower(:grep::text)) > 0)
        AND (:component::text IS NULL OR lower(coalesce(metadata->>'component', metadata->>'logger')) = lower(:component::text)
             OR starts_with(lower(coalesce(metadata->>'component', metadata->>'logger')), lower(:component::text) || '.'))
      ORDER BY id DESC
      LIMIT :limit) AS newest
ORDER BY id
