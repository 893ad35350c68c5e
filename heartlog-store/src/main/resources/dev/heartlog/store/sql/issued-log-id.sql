-- The last id the records' id sequence gave out: at or above the newest stored record's id (a
-- batch that failed used ids too), and read without touching the table. NULL (so 0) when the
-- sequence is not readable to this user or never used.
SELECT coalesce((SELECT last_value FROM pg_sequences
                 WHERE format('%I.%I', schemaname, sequencename) = pg_get_serial_sequence('system_logs', 'id')),
                0) AS id
