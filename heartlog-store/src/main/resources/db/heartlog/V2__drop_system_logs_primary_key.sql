-- The primary key (source_id, created_at, id) was one more wide B-tree written for every record,
-- and no query used it: the ingest benchmark measured it among the costs that kept heartlog's
-- function behind the seed's. Ids stay unique (they come from the identity column); worker
-- queries use system_logs_worker_timeline.
ALTER TABLE system_logs DROP CONSTRAINT IF EXISTS system_logs_pkey;
