-- The newest record id, where `--follow` and the live tail start. Only ids near the last one the
-- sequence gave out are looked at (issued-log-id.sql), through the id index (migration V9):
-- max(id) over the whole table read every partition. Without a readable sequence (:issued 0),
-- that is what it does.
SELECT coalesce(max(id), :issued::bigint) AS id
FROM system_logs
WHERE id > :issued::bigint - 100000
