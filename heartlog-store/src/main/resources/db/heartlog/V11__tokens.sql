-- Tokens (README, "Workers on Supabase or PostgREST: tokens"). A token made by `heartlog token
-- --workers PREFIX` is a JWT PostgREST verifies; the ingest function reads its claims
-- heartlog_workers and iat (R__ingest.sql).
SET LOCAL client_min_messages = warning;

-- A role PostgREST switches to may be a writer that writes only with such a token (`heartlog
-- grant writer ROLE --workers PREFIX --token-required`). On Supabase every signed-in user of the
-- project's app holds a token for the role authenticated: made a writer without this, any of
-- them could send heartbeats as the writer's workers.
ALTER TABLE heartlog_writers ADD COLUMN token_required boolean NOT NULL DEFAULT false;

-- Tokens revoked. A token cannot be taken back, and stays valid until it expires (365 days by
-- default). `heartlog revoke --tokens PREFIX` records here that every token for PREFIX issued
-- before now is refused: a worker whose machine was lost or handed back is cut off without
-- changing the project's signing key, and so every other worker's token.
--
-- Only the owner reads and changes it (heartlog_grant_roles(), R__roles.sql): the function reads
-- it while it runs as its owner, which is when tokens hold anything (a database with writers).
CREATE TABLE heartlog_revoked_tokens (
    worker_prefix text PRIMARY KEY,            -- the claim heartlog_workers, exactly ('' for any worker)
    issued_before timestamptz NOT NULL         -- tokens issued (iat) before this are refused
);
