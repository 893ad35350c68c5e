-- Tokens revoked (README, "Workers on Supabase or PostgREST: tokens"). A token made by `heartlog
-- token --workers PREFIX` is a signed JWT: the store cannot take it back, and it stays valid
-- until it expires (365 days by default). `heartlog revoke --tokens PREFIX` records here that
-- every token for PREFIX issued before now is refused: the ingest function compares the token's
-- claims heartlog_workers and iat (R__ingest.sql). A worker whose machine was lost or returned
-- is cut off without changing the project's signing key, and so every other worker's token.
--
-- Only the owner reads and changes it (heartlog_grant_roles(), R__roles.sql): the function reads
-- it while it runs as its owner, which is when tokens hold anything (a database with writers).
SET LOCAL client_min_messages = warning;

CREATE TABLE heartlog_revoked_tokens (
    worker_prefix text PRIMARY KEY,            -- the claim heartlog_workers, exactly ('' for any worker)
    issued_before timestamptz NOT NULL         -- tokens issued (iat) before this are refused
);
