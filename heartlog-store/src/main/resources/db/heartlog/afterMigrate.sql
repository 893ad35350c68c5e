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
