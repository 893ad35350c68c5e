-- `heartlog logs --follow` and the viewer's live tail ask for the records stored after an id
-- (logs-after.sql), every second while they follow. No index had the id since V2 dropped the
-- primary key, so each of those reads scanned every partition: 130 ms and 45,827 buffers on 3
-- million records (PostgreSQL 15, EXPLAIN ANALYZE), growing with the store. Ids are given in
-- insert order, so a block range index on them is small (32 kB for those 3 million records) and
-- leads the read straight to the newest pages: 1.2 ms. Its upkeep per record is a look at the
-- range the record's page belongs to, as for the BRIN index on timestamp.
-- Building it reads every partition once; on a large store run the migration when it is quiet.
CREATE INDEX IF NOT EXISTS system_logs_id_brin ON system_logs USING brin (id);
