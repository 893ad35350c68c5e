-- The worker and task ids of system_logs compare in byte order (collation "C") instead of the
-- database's language collation. They are identifiers, never sorted for people to read, and
-- every record inserts both into a B-tree: under a language collation each comparison goes
-- through strcoll(), in byte order it is a memcmp(). Two gains:
--   * ingest: in a C.UTF-8 database, 300,000 inserts into a table with these two indexes took
--     3.78 s instead of 4.27 s (psql, three interleaved pairs); in an en_US.UTF-8 database the
--     ingest function stored 14-15% more records per second (IngestLoad, BENCHMARKS.md §2);
--   * an upgrade of the C library that changes the language collation (as glibc 2.28 did) can
--     no longer leave these indexes out of order.
-- Equality is the same under both collations, so no query changes: a comparison between such a
-- column and a parameter or another text column takes the column's collation.
-- Only the indexes on these columns are rebuilt (no table rewrite): on a large store run the
-- migration when it is quiet.
-- PostgreSQL refuses to change a column that a view, rule or SQL-standard function body of the
-- orchestrator's uses (SQLSTATE 0A000). The change only makes ingest faster, so then the columns
-- keep their collation, the migration says why in a warning, and it counts as applied.
DO $$
DECLARE
    reason text;
    detail text;
BEGIN
    ALTER TABLE system_logs
        ALTER COLUMN source_id TYPE text COLLATE "C",
        ALTER COLUMN task_id TYPE text COLLATE "C";
EXCEPTION WHEN feature_not_supported THEN
    GET STACKED DIAGNOSTICS reason = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL;
    RAISE WARNING 'heartlog: system_logs.source_id and task_id keep the database collation: % (%). '
        'Ingest works as before, only without the byte-order speed-up; to have it, drop that object, '
        'run ALTER TABLE system_logs ALTER COLUMN source_id TYPE text COLLATE "C", '
        'ALTER COLUMN task_id TYPE text COLLATE "C", and create the object again.', reason, detail;
END
$$;
