-- heartlog's columns of the orchestrator's `workers`, put back where the table has lost them: an
-- orchestrator that rebuilt its table after heartlog migrate (DROP and CREATE from its own
-- schema) left every heartbeat failing inside the function ("column problem_errors of relation
-- workers does not exist"), and the migrations that add them had run already. Each column as its
-- migration added it, once that migration has been applied (a migration stopped at an earlier
-- target adds only the earlier ones); nothing is altered, and no lock taken, when none is missing.
DO $$
DECLARE
    applied integer := (SELECT max(version::integer) FROM flyway_schema_history
                        WHERE success AND version ~ '^[0-9]+$');
    needed  text[] := ARRAY[['1', 'status', 'text DEFAULT ''active'''], ['1', 'last_heartbeat', 'timestamptz'],
                            ['1', 'vram_total_mb', 'integer'], ['1', 'vram_used_mb', 'integer'],
                            ['1', 'current_task_id', 'text'], ['7', 'problem_errors', 'bigint[]'],
                            ['7', 'problem_warnings', 'bigint[]'], ['12', 'clock_skew_ms', 'bigint'],
                            ['15', 'heartlog_session', 'text'], ['15', 'shared_id_at', 'timestamptz'],
                            ['16', 'gpu_problem', 'text']];
    added   text[] := '{}';
BEGIN
    IF to_regclass('workers') IS NULL OR applied IS NULL THEN
        RETURN;
    END IF;
    FOR i IN 1 .. array_length(needed, 1) LOOP
        IF applied >= needed[i][1]::integer
           AND NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'workers'::regclass
                           AND attname = needed[i][2] AND NOT attisdropped) THEN
            EXECUTE format('ALTER TABLE workers ADD COLUMN %I %s', needed[i][2], needed[i][3]);
            added := added || needed[i][2];
        END IF;
    END LOOP;
    IF added <> '{}' THEN
        RAISE WARNING 'heartlog: workers had lost columns heartbeats write, and has them again: %',
            array_to_string(added, ', ');
    END IF;
END $$;

-- Runs after every `heartlog migrate`: the coming days' partitions exist before records arrive.
SELECT heartlog_ensure_partitions();

-- A database set up from the seed design: its records of the retention period move into
-- heartlog's system_logs (beforeMigrate.sql, R__seed_table.sql), before the counts below.
SELECT heartlog_adopt_seed_logs();

-- Fleet health's problem counts (migration V7) counted again from the stored records, in the
-- store's time (V12). (A migration told to stop before V12, as a test of upgrades does, counts
-- at its next migration.)
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_attribute
               WHERE attrelid = 'workers'::regclass AND attname = 'clock_skew_ms' AND NOT attisdropped) THEN
        PERFORM heartlog_recount_problems();
    END IF;
END $$;

-- An orchestrator's workers.status that refuses a status agents send ('stopped' at shutdown,
-- 'crashed' when `heartlog run`'s worker dies): an enum without it, or a CHECK on the status
-- alone that does not list it. Those heartbeats store their records but leave the row
-- (R__ingest.sql), and fleet health says so. Said at every migrate, with the fix, in the message
-- itself (heartlog migrate prints a warning's message, not its hint).
DO $$
DECLARE
    status_type  regtype;
    status_enum  boolean;
    status_attnum smallint;
    sent         text;
    accepted     boolean;
    check_expr   text;
    refused      text[] := '{}';
    refused_list text;
BEGIN
    SELECT a.atttypid::regtype, t.typtype = 'e', a.attnum INTO status_type, status_enum, status_attnum
    FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
    WHERE a.attrelid = 'workers'::regclass AND a.attname = 'status' AND NOT a.attisdropped;
    IF status_type IS NULL THEN
        RETURN;
    END IF;
    FOREACH sent IN ARRAY ARRAY['active', 'crashed', 'stopped'] LOOP
        accepted := true;
        IF status_enum THEN
            accepted := EXISTS (SELECT FROM pg_enum WHERE enumtypid = status_type AND enumlabel = sent);
        ELSE
            -- Each CHECK on the status alone, evaluated for this value as an insert would (NULL passes).
            FOR check_expr IN SELECT pg_get_expr(c.conbin, c.conrelid) FROM pg_constraint c
                              WHERE c.conrelid = 'workers'::regclass AND c.contype = 'c' AND c.conkey = ARRAY[status_attnum]
            LOOP
                BEGIN
                    EXECUTE format('SELECT coalesce((%s), true) FROM (SELECT %L::%s AS status) AS workers',
                                   check_expr, sent, status_type) INTO accepted;
                EXCEPTION WHEN OTHERS THEN
                    accepted := true;   -- an expression this cannot evaluate alone: no warning
                END;
                EXIT WHEN NOT accepted;
            END LOOP;
        END IF;
        IF NOT accepted THEN
            refused := refused || sent;
        END IF;
    END LOOP;
    IF cardinality(refused) = 0 THEN
        RETURN;
    END IF;
    refused_list := (SELECT string_agg(quote_literal(r), ' or ') FROM unnest(refused) AS r);
    IF status_enum THEN
        RAISE WARNING 'heartlog: workers.status is the enum %, which has no %: heartbeats with that status store '
            'their records but leave the worker''s row, and heartlog workers says why (to take them: %)',
            status_type, refused_list,
            (SELECT string_agg(format('ALTER TYPE %s ADD VALUE %L', status_type, r), '; ') FROM unnest(refused) AS r);
    ELSE
        RAISE WARNING 'heartlog: workers.status has a CHECK that refuses %: heartbeats with that status store '
            'their records but leave the worker''s row, and heartlog workers says why (to take them, let the CHECK '
            'list them)', refused_list;
    END IF;
END $$;

-- A database in an encoding other than UTF8 (or SQL_ASCII, which takes any bytes): the server
-- converts a heartbeat's text into it before the function runs, and one character it cannot hold
-- (an emoji in a message, a name in Chinese) fails the call, heartbeat and every record of the
-- batch, which the agent then drops with a report. Said at every migrate.
DO $$
BEGIN
    IF current_setting('server_encoding') NOT IN ('UTF8', 'SQL_ASCII') THEN
        RAISE WARNING 'heartlog: this database''s encoding is %, which cannot hold every character workers log: '
            'a batch with one it lacks (an emoji, a name in Chinese) is refused whole, and its records are dropped '
            'with a report (heartlog needs a UTF8 database: CREATE DATABASE ... ENCODING ''UTF8'' TEMPLATE template0)',
            current_setting('server_encoding');
    END IF;
END $$;

-- PostgREST (Supabase's REST API, or one of one's own) keeps the database's functions in a cache:
-- until told, it answers a call of a function that migrate created with 404 PGRST202, and agents
-- over HTTP take that as a store without it, stepping down to the seed's function (no dedupe)
-- for as long as PostgREST runs. This is how PostgREST's documentation says to tell it. Where
-- nothing listens on the channel, the notification goes nowhere.
NOTIFY pgrst, 'reload schema';
