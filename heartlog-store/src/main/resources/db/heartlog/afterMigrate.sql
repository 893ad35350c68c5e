-- Runs after every `heartlog migrate`: the coming days' partitions exist before records arrive.
SELECT heartlog_ensure_partitions();

-- Fleet health's problem counts (migration V7) counted again from the stored records. (A
-- migration told to stop before V7, as a test of upgrades does, has no counts yet.)
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_attribute
               WHERE attrelid = 'workers'::regclass AND attname = 'problem_errors' AND NOT attisdropped) THEN
        PERFORM heartlog_recount_problems();
    END IF;
END $$;
