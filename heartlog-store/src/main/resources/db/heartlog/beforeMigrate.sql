-- An orchestrator's `workers` with columns of other types than the seed's. The status and the
-- task may be of any type: heartbeats write them through their columns' own input functions (an
-- enum status, a uuid or bigint task id; R__ingest.sql). The others they write as the seed's
-- types, and would fail on a table of others: the worker id as named ("gpu-20261127-a1b2c3")
-- compared with a uuid id ("operator does not exist: uuid = text"), the VRAM figures as
-- integers, the time as a timestamp. The migration itself would fail there too, after applying
-- everything. Say which columns, and what to do.
DO $$
DECLARE
    mismatched text;
    kind       "char";
BEGIN
    IF to_regclass('workers') IS NULL THEN
        RETURN;
    END IF;
    -- An orchestrator's `workers` that is a view (say over a table of its own) or a foreign
    -- table: migrate adds heartlog's columns to it (V7, V12), and would stop there, at the first
    -- ALTER TABLE, or before it at the unique index below, whose hint a view cannot follow.
    SELECT relkind INTO kind FROM pg_class WHERE oid = 'workers'::regclass;
    IF kind NOT IN ('r', 'p') THEN
        RAISE EXCEPTION 'heartlog: workers is %, where heartlog needs the table itself: migrate adds columns '
            'to it, and heartbeats write each worker''s row there',
            CASE kind WHEN 'v' THEN 'a view' WHEN 'm' THEN 'a materialized view' WHEN 'f' THEN 'a foreign table'
                      ELSE 'not a table' END
            USING HINT = 'Run heartlog in the schema of the table the orchestrator keeps its workers in: '
                         'currentSchema=<that schema> in the JDBC URL of migrate, of the other commands and of '
                         'the agents.';
    END IF;
    SELECT string_agg(format('workers.%s is %s', a.attname, format_type(a.atttypid, a.atttypmod)), ', '
                      ORDER BY a.attnum)
      INTO mismatched
      FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
     WHERE a.attrelid = 'workers'::regclass AND NOT a.attisdropped
       AND ((a.attname = 'id' AND t.typcategory <> 'S')
            OR (a.attname IN ('vram_total_mb', 'vram_used_mb') AND t.typcategory <> 'N')
            OR (a.attname = 'last_heartbeat' AND t.typcategory <> 'D'));
    IF mismatched IS NOT NULL THEN
        RAISE EXCEPTION 'heartlog: %, which heartbeats cannot write: they write the seed design''s types '
            '(id text, the VRAM columns integer, last_heartbeat timestamptz)', mismatched
            USING HINT = 'Change those columns to these types (for the id: ALTER TABLE workers ALTER COLUMN id TYPE '
                         'text, and any column that refers to it), then run heartlog migrate again.';
    END IF;
    -- A new worker's first heartbeat creates its row with INSERT ... ON CONFLICT (id), which
    -- needs a unique index on the id alone (not partial, not deferrable); without one every
    -- heartbeat of a worker not in the table would fail, records and all.
    IF NOT EXISTS (SELECT FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                   WHERE i.indrelid = 'workers'::regclass AND a.attname = 'id' AND i.indisunique
                     AND i.indimmediate AND i.indnkeyatts = 1 AND i.indpred IS NULL) THEN
        RAISE EXCEPTION 'heartlog: workers.id has no unique index, which a new worker''s first heartbeat needs to '
            'create its row'
            USING HINT = 'Add one (ALTER TABLE workers ADD PRIMARY KEY (id), or CREATE UNIQUE INDEX ON workers (id)), '
                         'then run heartlog migrate again.';
    END IF;
END
$$;

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
