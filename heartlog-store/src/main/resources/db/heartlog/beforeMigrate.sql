-- Runs before every `heartlog migrate`.
--
-- A database set up from the seed design already has a system_logs: a plain table, where
-- heartlog's is partitioned by day (V1 would stop at "relation system_logs already exists").
-- The seed's table is renamed system_logs_seed, out of V1's way; after the migrations,
-- heartlog_adopt_seed_logs() (afterMigrate.sql) moves its records of the retention period into
-- heartlog's table. Nothing happens on a store whose system_logs is heartlog's.
--
-- A view or SQL function of the orchestrator's on the seed's table would follow the rename and
-- go on reading the old table, silently stale: the migration stops first, and says which.
DO $$
DECLARE
    found       regclass := to_regclass('system_logs');
    dependents  text;
    id_sequence text;
BEGIN
    IF found IS NULL OR (SELECT relkind FROM pg_class WHERE oid = found) <> 'r' THEN
        RETURN;
    END IF;
    IF to_regclass('system_logs_seed') IS NOT NULL THEN
        RAISE EXCEPTION 'heartlog: system_logs is a plain table (the seed design''s), and system_logs_seed, '
            'where heartlog would keep it, exists already'
            USING HINT = 'Rename or drop one of the two tables, then run heartlog migrate again.';
    END IF;

    -- A view depends through its rule; it is named as the view.
    SELECT string_agg(DISTINCT coalesce(pg_describe_object('pg_class'::regclass, r.ev_class, 0),
                                        pg_describe_object(d.classid, d.objid, 0)), ', ')
      INTO dependents
      FROM pg_depend d
      LEFT JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid
     WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = found AND d.deptype = 'n'
       AND d.classid IN ('pg_rewrite'::regclass, 'pg_proc'::regclass);
    IF dependents IS NOT NULL THEN
        RAISE EXCEPTION 'heartlog: the seed design''s system_logs table is used by %, which would go on '
            'reading it after heartlog replaces it with its own', dependents
            USING HINT = 'Drop what uses it, run heartlog migrate, and create it again: heartlog''s '
                         'system_logs has the seed''s columns.';
    END IF;

    ALTER TABLE system_logs RENAME TO system_logs_seed;
    -- Its BIGSERIAL's sequence too, so that heartlog's identity column takes the usual name.
    id_sequence := pg_get_serial_sequence('system_logs_seed', 'id');
    IF id_sequence IS NOT NULL AND to_regclass('system_logs_seed_id_seq') IS NULL THEN
        EXECUTE format('ALTER SEQUENCE %s RENAME TO system_logs_seed_id_seq', id_sequence);
    END IF;
    RAISE NOTICE 'heartlog: the seed design''s system_logs is now system_logs_seed';
END
$$;

-- An orchestrator's `workers` whose ids are not text (a uuid column): heartbeats name their
-- worker by text ("gpu-20261127-a1b2c3", the seed's `id TEXT`), and every statement that looks a
-- worker up would fail with "operator does not exist: uuid = text", after the migrations had
-- been applied. Stop before anything changes, and say what to do.
DO $$
DECLARE
    id_type text;
BEGIN
    IF to_regclass('workers') IS NULL THEN
        RETURN;
    END IF;
    SELECT format_type(a.atttypid, a.atttypmod) INTO id_type
      FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
     WHERE a.attrelid = 'workers'::regclass AND a.attname = 'id' AND NOT a.attisdropped
       AND t.typcategory <> 'S';
    IF id_type IS NOT NULL THEN
        RAISE EXCEPTION 'heartlog: workers.id is %, and heartbeats name their worker by text (the seed design''s id TEXT)',
            id_type
            USING HINT = 'Change it (ALTER TABLE workers ALTER COLUMN id TYPE text, and the columns that refer '
                         'to it), then run heartlog migrate again.';
    END IF;
END
$$;
