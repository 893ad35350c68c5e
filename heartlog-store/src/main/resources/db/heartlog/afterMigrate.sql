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

-- An orchestrator's enum status that lacks a status agents send ('stopped' at shutdown,
-- 'crashed' when `heartlog run`'s worker dies): those heartbeats store their records but leave
-- the row (R__ingest.sql), and fleet health says so. Said at every migrate, with the fix, in
-- the message itself (heartlog migrate prints a warning's message, not its hint).
DO $$
DECLARE
    status_type regtype;
    missing     text[];
BEGIN
    SELECT a.atttypid::regtype INTO status_type
    FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
    WHERE a.attrelid = 'workers'::regclass AND a.attname = 'status' AND NOT a.attisdropped AND t.typtype = 'e';
    IF status_type IS NULL THEN
        RETURN;
    END IF;
    SELECT array_agg(sent ORDER BY sent) INTO missing
    FROM unnest(ARRAY['active', 'crashed', 'stopped']) AS sent
    WHERE NOT EXISTS (SELECT FROM pg_enum WHERE enumtypid = status_type AND enumlabel = sent);
    IF missing IS NOT NULL THEN
        RAISE WARNING 'heartlog: workers.status is the enum %, which has no %: heartbeats with that status store '
            'their records but leave the worker''s row, and heartlog workers says why (to take them: %)',
            status_type,
            (SELECT string_agg(quote_literal(m), ' or ') FROM unnest(missing) AS m),
            (SELECT string_agg(format('ALTER TYPE %s ADD VALUE %L', status_type, m), '; ') FROM unnest(missing) AS m);
    END IF;
END $$;
