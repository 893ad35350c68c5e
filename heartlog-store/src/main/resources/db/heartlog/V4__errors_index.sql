-- The errors of the last hour across the fleet (`heartlog logs --level ERROR --since 1h`, the
-- viewer's error filter) read the problems index newest first, but that index holds warnings
-- too (four for every error in the benchmark's data), and PostgreSQL before 17 cannot use
-- `level IN (...)` as an index condition while keeping the index order: it fetched every
-- warning's row from the heap to throw it away (1,566 buffers for 1,000 errors on 10 million
-- records). Errors and critical records are about 2% of all rows, so their own index costs
-- ingest next to nothing.
CREATE INDEX IF NOT EXISTS system_logs_errors ON system_logs (timestamp)
    WHERE level IN ('ERROR', 'CRITICAL');
