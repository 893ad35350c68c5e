-- How many records a flood's count stands for. heartlog's agent and heartlog run keep the first
-- ten records of a flood of one record and count the rest in one record, "repeated 4188 more
-- times: connection to redis:6379 refused, retrying", with the count in its metadata's
-- "repeated" too. This reads that count, where the message and the metadata both say it; NULL
-- for any other record (a message that only looks like a count, "repeated 3 more times: the
-- upload, then gave up", too). Every query that counts errors counts a record as
-- coalesce(heartlog_repeat_count(message, metadata), 1), so that the 5,000 errors of a retry
-- loop are 5,000 on the task list, a worker's page and fleet health, as `heartlog errors` counts
-- them, not the 11 records that carry them.
--
-- The message is tested first: a LIKE fails at its first byte, and an error's metadata, which
-- may hold a long stack trace, is read only for a count. A count of more than 18 digits, which
-- no agent sends, is no count, rather than a bigint out of range that would fail the query.
-- A SQL function of one expression, so it is inlined (R__exception_name.sql). The same rule in
-- Java, for the agent's counts and a task's records summed in the store: RepeatCount.occurrences.
CREATE OR REPLACE FUNCTION heartlog_repeat_count(message text, metadata jsonb)
RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN message LIKE 'repeated %'
                     AND message ~ '^repeated [0-9]{1,18} more times?: '
                     AND metadata->>'repeated' = substring(message FROM '^repeated ([0-9]+) ')
                THEN (metadata->>'repeated')::bigint
           END
$$;
