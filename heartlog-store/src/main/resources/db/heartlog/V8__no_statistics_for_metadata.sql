-- ANALYZE (autovacuum runs it as a table grows) samples 30,000 rows and, for each column, sorts
-- the sample to find its most common values and histogram. No query filters, joins or sorts on
-- the records' or the heartbeats' metadata, and sorting jsonb values is dear: on 14.8 million
-- records (PostgreSQL 15, four runs each way, taking turns) ANALYZE of the day's partition took
-- 440-525 ms instead of 564-604, and of worker_heartbeats 117-172 ms instead of 198-276. In a
-- fleet simulation on 2 cores (BENCHMARKS.md §4, run 32) heartbeats ran late while autovacuum
-- vacuumed and analyzed these tables. Without statistics the planner takes its default
-- estimates for a condition on these columns, which nothing asks.
-- Altering the parent alters every partition; heartlog_ensure_partitions gives new ones the
-- parent's targets (R__maintenance.sql). SHARE UPDATE EXCLUSIVE: ingest goes on meanwhile.
ALTER TABLE system_logs ALTER COLUMN metadata SET STATISTICS 0;
ALTER TABLE worker_heartbeats ALTER COLUMN metadata SET STATISTICS 0;
