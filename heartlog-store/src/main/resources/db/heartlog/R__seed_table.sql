-- The seed design's own system_logs, on a database that had one before heartlog.
--
-- beforeMigrate.sql renames it system_logs_seed; afterMigrate.sql then calls this function,
-- which moves its records of the store's retention period (heartlog_retention()) into
-- heartlog's system_logs, so that `heartlog task`, `worker` and the viewer show what workers
-- logged before the switch. Their levels are cleaned as the ingest function cleans them (an
-- unknown name is INFO, with the original in metadata.original_level); the store's receive time
-- is the seed's created_at. Records older than the retention stay where they are, which the
-- seed's cleanup would have deleted: heartlog does not read them, and says how many there are.
-- The table is dropped once it is empty. Moving (DELETE ... RETURNING into the INSERT, one
-- statement) makes a second call, or one after a failed migration, copy nothing twice.
-- Returns how many records it moved.
CREATE OR REPLACE FUNCTION heartlog_adopt_seed_logs()
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    moved bigint;
    older bigint;
BEGIN
    IF to_regclass('system_logs_seed') IS NULL THEN
        RETURN 0;
    END IF;

    WITH taken AS (
        DELETE FROM system_logs_seed
         WHERE coalesce(created_at, "timestamp") >= now() - heartlog_retention()
        RETURNING *)
    INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id, metadata, created_at)
    SELECT t."timestamp",
           coalesce(heartlog_level(t.level), 'INFO'),
           t.message, t.source_type, t.source_id, t.task_id,
           CASE WHEN heartlog_level(t.level) IS NULL
                THEN coalesce(t.metadata, '{}'::jsonb) || jsonb_build_object('original_level', t.level)
                ELSE coalesce(t.metadata, '{}'::jsonb) END,
           coalesce(t.created_at, t."timestamp")
      FROM taken t
     ORDER BY t.id;   -- new ids in the seed's order
    GET DIAGNOSTICS moved = ROW_COUNT;
    IF moved > 0 THEN
        RAISE WARNING 'heartlog: moved % record(s) of the last % from the seed design''s system_logs into heartlog''s',
            moved, justify_hours(heartlog_retention());
    END IF;

    SELECT count(*) INTO older FROM system_logs_seed;
    IF older = 0 THEN
        DROP TABLE system_logs_seed;
    ELSE
        RAISE WARNING 'heartlog: system_logs_seed keeps the seed''s % record(s) older than the retention (%), '
            'which heartlog does not read; drop it when they are no longer needed', older, justify_hours(heartlog_retention());
    END IF;
    RETURN moved;
END;
$$;
