-- One worker id sent by several processes at once: a Deployment's replicas given the same
-- HEARTLOG_WORKER_ID, a worker started twice by mistake, a process that paused (a long GC, a
-- suspended VM) while its replacement started under its id. Their heartbeats take turns at the
-- row: its status, task and VRAM are whichever process sent last, a crash of one is undone by
-- the next heartbeat of another, and fleet health counts one worker where there are several,
-- with nothing to say why. The ingest function keeps here the agent session of the last
-- heartbeat, and the time a heartbeat last came from another session that was sending already
-- before the last one's took over (R__ingest.sql): two processes, each still sending. A restart
-- is no such thing: the new session had sent nothing before.
ALTER TABLE workers ADD COLUMN IF NOT EXISTS heartlog_session text;
ALTER TABLE workers ADD COLUMN IF NOT EXISTS shared_id_at timestamptz;
