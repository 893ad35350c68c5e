-- Records stored after a known id up to another, in the order they were stored: what a
-- follower that reconnects to the live tail missed (its after=), the newest :limit of them.
-- Following itself reads records-for-followers.sql.
SELECT *
FROM (SELECT
\ir record-columns.sql
      FROM system_logs
      WHERE id > :after_id
        AND id <= :until_id
        AND (:worker::text IS NULL OR source_id = :worker::text)
        AND (:task::text IS NULL OR task_id = :task::text)
        -- level || '': no index on the level is chosen. The errors' index holds every error of
        -- the day, and a follower of the errors coming back read all of them to find those of
        -- its ids, not the ids through their index: 91,000 buffers on 10 million records, 2.7 s
        -- from a cold cache, where the ids' read takes 3,200 buffers and 26 ms (BENCHMARKS.md §8).
        AND (level || '') = ANY (:levels::text[])
        AND (:grep::text IS NULL OR strpos(lower(message), lower(:grep::text)) > 0)
        AND (:component::text IS NULL OR lower(coalesce(metadata->>'component', metadata->>'logger')) = lower(:component::text)
             OR starts_with(lower(coalesce(metadata->>'component', metadata->>'logger')), lower(:component::text) || '.'))
        AND (:meta::jsonb[] IS NULL OR metadata @> ANY (:meta::jsonb[]))
      ORDER BY id DESC
      LIMIT :limit) AS newest
ORDER BY id
