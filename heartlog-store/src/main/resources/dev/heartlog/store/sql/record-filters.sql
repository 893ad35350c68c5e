-- The conditions of a listing's filters (logs.sql and logs-from.sql read them in with \ir, after
-- their WHERE): :worker, :task, :levels, :grep, :component and :meta, each NULL for no filter
-- but :levels, which holds every level a minimum lets through. :meta, where given, keeps the
-- records whose metadata contains one of its objects: every way of writing the wanted values as
-- JSON (MetadataFilter). No index serves :grep, :component or :meta, so they narrow what the
-- other filters read.
    (:worker::text IS NULL OR source_id = :worker::text)
  AND (:task::text IS NULL OR task_id = :task::text)
  AND level = ANY (:levels::text[])
  AND (:grep::text IS NULL OR strpos(lower(message), lower(:grep::text)) > 0)
  AND (:component::text IS NULL OR lower(coalesce(metadata->>'component', metadata->>'logger')) = lower(:component::text)
       OR starts_with(lower(coalesce(metadata->>'component', metadata->>'logger')), lower(:component::text) || '.'))
  AND (:meta::jsonb[] IS NULL OR metadata @> ANY (:meta::jsonb[]))
