-- Each worker's warnings and errors of the last hour, counted as they are stored, so that fleet
-- health (`heartlog workers`) reads 1,000 workers' rows instead of counting the hour's problem
-- records across the fleet at every look (BENCHMARKS.md §3: 20,000 records a look, 15-20 ms).
--
-- Counted per 5-minute period of the records' own timestamps (heartlog_count_period), as
-- running totals, one array per level group (ERROR and CRITICAL; WARNING):
--   [1]       the newest period counted (seconds since 1970 / 300)
--   [2]       the problems counted so far
--   [2 + j]   the problems counted so far at the end of period [1] - j, j = 1 .. 12
-- so the problems from any period within the last 12 up to now are one subtraction
-- (heartlog_recent_problems). Fleet health adds the records between "an hour ago" and the
-- first whole period, counted exactly through the problems index (under 5 minutes of them).
--
-- The ingest function keeps the counts (heartlog_add_problems, R__worker_health.sql), from the
-- counts a heartlog agent sends with its batch or, for other senders, from the batch's records;
-- every `heartlog migrate` counts the last hour again from the stored records (afterMigrate.sql).
ALTER TABLE workers ADD COLUMN IF NOT EXISTS problem_errors bigint[];
ALTER TABLE workers ADD COLUMN IF NOT EXISTS problem_warnings bigint[];
