-- The heartbeats whose row the orchestrator's `workers` table refused, the latest per worker. The
-- orchestrator owns `workers`, and its table may refuse what a heartbeat writes there: a status
-- its CHECK or enum does not list, a new worker without a column it requires (R__ingest.sql).
-- The records are stored all the same, but a worker the orchestrator never registered had no
-- row, and fleet health, which lists the rows of `workers`, did not show it at all. The ingest
-- function keeps the refusal here, on that path only (an insert or an update per refused
-- heartbeat, nothing on any other), so that fleet health lists the worker and says why.
-- Retention deletes refusals older than the records (R__maintenance.sql).
CREATE TABLE IF NOT EXISTS worker_row_refusals (
    worker_id  text        PRIMARY KEY,
    refused_at timestamptz NOT NULL,  -- the store's time of the latest refused heartbeat
    reason     text        NOT NULL   -- the database's message, as the heartbeat's answer says it
);
