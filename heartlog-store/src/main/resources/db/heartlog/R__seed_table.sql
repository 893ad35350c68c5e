-- The seed design's own system_logs, on a database that had one before heartlog.
--
-- beforeMigrate.sql renames it system_logs_seed; afterMigrate.sql then calls this function,
-- which moves its records of the store's retention period (heartlog_retention()) into
-- heartlog's system_logs, so that `heartlog task`, `worker` and the viewer show what workers
-- logged before the switch. Their levels are cleaned as the ingest function cleans them (an
-- unknown name is INFO, with the original in metadata.original_level); the store's receive
-- time is the seed's created_at. Columns the orchestrator added to the seed's table are kept
-- in each record's metadata, under their names. Records older than the retention stay where
-- they are, which the seed's cleanup would have deleted: heartlog does not read them, and says
-- how many there are. The table is dropped once it is empty. Moving (DELETE ... RETURNING into
-- the INSERT, one statement) makes a second call, or one after a failed migration, copy
-- nothing twice.
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

    -- Each row is read through to_jsonb(), so that a seed table without some of the seed's
    -- columns moves too, and so that columns the orchestrator added to it (a run id, a version)
    -- are kept in the record's metadata rather than lost.
    WITH taken AS (
        DELETE FROM system_logs_seed AS s
         WHERE coalesce((to_jsonb(s) ->> 'created_at')::timestamptz, s."timestamp") >= now() - heartlog_retention()
        RETURNING to_jsonb(s) AS row),
    seed AS (
        SELECT (row ->> 'id')::bigint AS seed_id,
               (row ->> 'timestamp')::timestamptz AS stamped,
               row ->> 'level' AS level,
               row ->> 'message' AS message,
               coalesce(row ->> 'source_type', 'worker') AS source_type,
               row ->> 'source_id' AS source_id,
               row ->> 'task_id' AS task_id,
               coalesce(nullif(row -> 'metadata', 'null'::jsonb), '{}'::jsonb) AS metadata,
               jsonb_strip_nulls(row - ARRAY['id', 'timestamp', 'level', 'message', 'source_type', 'source_id',
                                             'task_id', 'metadata', 'created_at']) AS added,
               coalesce((row ->> 'created_at')::timestamptz, (row ->> 'timestamp')::timestamptz) AS received
          FROM taken)
    INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id, metadata, created_at)
    SELECT stamped,
           coalesce(heartlog_level(level), 'INFO'),
           message, source_type, source_id, task_id,
           CASE WHEN heartlog_level(level) IS NULL OR added <> '{}'::jsonb
                THEN metadata || added
                     || CASE WHEN heartlog_level(level) IS NULL
                             THEN jsonb_build_object('original_level', level) ELSE '{}'::jsonb END
                ELSE metadata END,
           received
      FROM seed
     ORDER BY seed_id;   -- new ids in the seed's order
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
