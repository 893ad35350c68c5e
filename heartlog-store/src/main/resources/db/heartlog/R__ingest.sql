-- The ingest function: one heartbeat with its log records.
--
-- Wire contract: the seed's five arguments keep their names and positions; everything after
-- them has a default, so the seed's 5-argument call and the Python sidecar's call (worker id,
-- VRAM, logs and status only) both work.

-- IF [NOT] EXISTS clauses below raise notices a migration tool would print as warnings.
SET LOCAL client_min_messages = warning;

-- Every other func_worker_heartbeat_with_logs of this schema goes. Beside ours, whose arguments
-- after the worker id all have defaults, any of them makes the calls both take ambiguous, and
-- every heartbeat then fails with "function func_worker_heartbeat_with_logs(...) is not unique".
-- A database set up from the seed has the 5-argument one; deployments that serve the Python
-- sidecar's call added its status_param as a sixth.
DO $$
DECLARE
    other text;
BEGIN
    FOR other IN
        SELECT p.oid::regprocedure::text FROM pg_proc p
         WHERE p.proname = 'func_worker_heartbeat_with_logs'
           AND p.pronamespace = current_schema()::regnamespace
           AND oidvectortypes(p.proargtypes) <> 'text, integer, integer, jsonb, text, text, text, bigint, jsonb'
    LOOP
        EXECUTE format('DROP FUNCTION %s', other);
        RAISE WARNING 'heartlog: %, which was there before, is replaced by heartlog''s, which takes the same calls',
            other;
    END LOOP;
END
$$;

-- Maps level names of any vocabulary onto the five the store uses; NULL for an unknown name.
-- The five names themselves, what agents send, are answered before upper(): case mapping is the
-- dearest part of this function, and it runs twice for every record stored (the ingest
-- benchmark measured about 5% of ingest for it).
CREATE OR REPLACE FUNCTION heartlog_level(level_name text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE
        WHEN level_name IN ('DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL') THEN level_name
        ELSE CASE upper(btrim(level_name))
            WHEN 'DEBUG' THEN 'DEBUG'
            WHEN 'TRACE' THEN 'DEBUG'
            WHEN 'INFO' THEN 'INFO'
            WHEN 'WARNING' THEN 'WARNING'
            WHEN 'WARN' THEN 'WARNING'
            WHEN 'ERROR' THEN 'ERROR'
            WHEN 'CRITICAL' THEN 'CRITICAL'
            WHEN 'FATAL' THEN 'CRITICAL'
        END
    END
$$;

-- logs_param as an array of records, for a call that sent something else. What clients get wrong:
-- a batch encoded twice (a JSON string holding the array's text, as Python's json.dumps(logs)
-- passed to supabase-py's rpc() sends it) is the array it holds; a lone record (an object, or a
-- string holding one) is a batch of one. Anything else is a batch of one record that is not a
-- record, which heartlog_insert_logs_one_by_one stores as a rejection: never dropped unseen.
-- JSON null, or no logs at all, stays as it is (no records).
CREATE OR REPLACE FUNCTION heartlog_logs_array(logs jsonb)
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
    held jsonb;
BEGIN
    IF logs IS NULL OR jsonb_typeof(logs) IN ('array', 'null') THEN
        RETURN logs;
    END IF;
    held := logs;
    IF jsonb_typeof(logs) = 'string' THEN
        BEGIN
            held := (logs #>> '{}')::jsonb;
        EXCEPTION WHEN OTHERS THEN   -- text that is not JSON: a record that is not a record
            held := logs;
        END;
    END IF;
    IF jsonb_typeof(held) = 'array' THEN
        RETURN held;
    ELSIF jsonb_typeof(held) = 'object' THEN
        RETURN jsonb_build_array(held);
    END IF;
    RETURN jsonb_build_array(logs);
END;
$$;

-- Text as a time, as the set-based insert reads it (without an offset, in UTC, as in
-- func_worker_heartbeat_with_logs); NULL for text that is no time. The seed's fallback heartbeat
-- through heartlog serve reads its last_heartbeat with it too.
CREATE OR REPLACE FUNCTION heartlog_text_time(stamp text)
RETURNS timestamptz
LANGUAGE plpgsql STABLE
SET TimeZone = 'UTC'
AS $$
BEGIN
    RETURN stamp::timestamptz;
EXCEPTION WHEN OTHERS THEN
    RETURN NULL;
END;
$$;

-- A record's time as the record-by-record path reads it: text as heartlog_text_time reads it; a
-- number as seconds since 1970, or as milli-, micro- or nanoseconds by its size (what clients
-- that send numbers send: time.time(), Date.now(), ...). NULL for anything else, or a time out
-- of range (the bounds are to_timestamp's). A number is read without an exception block, which
-- costs a subtransaction a call: with one, 200 heartbeats of 100 numeric times took 434-474 ms in
-- heartlog_insert_logs_cleaned, without it 308-358 ms (BENCHMARKS.md §2, "Times sent as
-- numbers"). PL/pgSQL: as a SQL function it was not inlined, and took 771-821 ms.
CREATE OR REPLACE FUNCTION heartlog_record_time(stamp jsonb)
RETURNS timestamptz
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    seconds numeric;
BEGIN
    IF jsonb_typeof(stamp) = 'string' THEN
        RETURN heartlog_text_time(stamp #>> '{}');
    ELSIF jsonb_typeof(stamp) = 'number' THEN
        seconds := (stamp #>> '{}')::numeric;
        seconds := seconds / CASE WHEN abs(seconds) < 1e11 THEN 1
                                  WHEN abs(seconds) < 1e14 THEN 1e3
                                  WHEN abs(seconds) < 1e17 THEN 1e6
                                  ELSE 1e9 END;
        IF seconds >= -210866803200 AND seconds < 9224318015999 THEN
            RETURN to_timestamp(seconds::double precision);
        END IF;
    END IF;
    RETURN NULL;
END;
$$;

-- Text as a sequence number, as the set-based insert reads it; NULL for text that is none.
CREATE OR REPLACE FUNCTION heartlog_text_seq(seq text)
RETURNS bigint
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
    RETURN seq::bigint;
EXCEPTION WHEN OTHERS THEN
    RETURN NULL;
END;
$$;

-- A record's sequence number as the set-based insert reads it (a whole number, or text holding
-- one); NULL for anything else. Plain digits, what agents send, are read without an exception
-- block.
CREATE OR REPLACE FUNCTION heartlog_record_seq(seq jsonb)
RETURNS bigint
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
    IF jsonb_typeof(seq) IN ('number', 'string') THEN
        IF (seq #>> '{}') ~ '^-?[0-9]{1,18}$' THEN
            RETURN (seq #>> '{}')::bigint;
        END IF;
        RETURN heartlog_text_seq(seq #>> '{}');
    END IF;
    RETURN NULL;
END;
$$;

-- A record as the store keeps it when the set-based insert could not read its batch: what that
-- insert cannot read is cleaned. A time or a sequence number that cannot be read is kept as sent
-- in the record's metadata (original_timestamp, original_seq, beside original_level for a level
-- no vocabulary knows), the record stamped with its arrival and left without a number; a time
-- sent as a number is read as one (heartlog_record_time) and kept as sent too. Metadata that is
-- not an object stays as sent unless something is noted. Fails for an entry that is not an
-- object. The one definition of both paths below; a SQL table function, so that it is inlined
-- into heartlog_insert_logs_cleaned's one statement.
CREATE OR REPLACE FUNCTION heartlog_record_row(entry jsonb)
RETURNS TABLE (stamped timestamptz, level text, message text, task_id text, metadata jsonb, seq bigint)
LANGUAGE sql STABLE
AS $$
    SELECT coalesce(t.stamped, now()),
           coalesce(heartlog_level(entry ->> 'level'), 'INFO'),
           coalesce(r.message, ''),
           r.task_id,
           CASE WHEN n.noted = '{}' THEN coalesce(r.metadata, '{}'::jsonb)
                ELSE coalesce(r.metadata, '{}'::jsonb) || n.noted END,
           t.sequence
    FROM jsonb_to_record(entry) AS r(message text, task_id text, metadata jsonb)
    CROSS JOIN LATERAL (SELECT heartlog_record_time(entry -> 'timestamp') AS stamped,
                               heartlog_record_seq(entry -> 'seq') AS sequence) AS t
    CROSS JOIN LATERAL (
        SELECT CASE WHEN heartlog_level(entry ->> 'level') IS NULL AND entry ->> 'level' IS NOT NULL
                    THEN jsonb_build_object('original_level', entry ->> 'level') ELSE '{}'::jsonb END
            || CASE WHEN jsonb_typeof(entry -> 'timestamp') <> 'null'
                         AND (t.stamped IS NULL OR jsonb_typeof(entry -> 'timestamp') <> 'string')
                    THEN jsonb_build_object('original_timestamp', entry -> 'timestamp') ELSE '{}'::jsonb END
            || CASE WHEN jsonb_typeof(entry -> 'seq') <> 'null' AND t.sequence IS NULL
                    THEN jsonb_build_object('original_seq', entry -> 'seq') ELSE '{}'::jsonb END AS noted) AS n
$$;

-- Stores a batch the set-based insert could not read, still in one statement, each record
-- cleaned as heartlog_record_row cleans it: a batch whose times are numbers (Python's
-- record.created, Date.now()) took the record-by-record path below on every call, 200 heartbeats
-- of 100 records in 506-518 ms against 133-144 ms for ISO times; read again in one statement,
-- 308-358 ms (BENCHMARKS.md §2, "Times sent as numbers"). Fails as a whole where a
-- record still fails (not an object, a task id too long to index); that batch goes record by
-- record. PL/pgSQL, so that its statement is planned once per session.
CREATE OR REPLACE FUNCTION heartlog_insert_logs_cleaned(
    worker_id_param text,
    logs_param jsonb,
    session_id_param text,
    OUT inserted integer,
    OUT problems bigint[])   -- the stored problems, for fleet health (heartlog_problems_by_period)
LANGUAGE plpgsql
AS $$
BEGIN
    WITH stored AS (
        INSERT INTO system_logs
            (timestamp, level, message, source_type, source_id, task_id, metadata, session_id, seq)
        SELECT w.stamped, w.level, w.message, 'worker', worker_id_param, w.task_id, w.metadata,
               session_id_param, w.seq
        FROM jsonb_array_elements(logs_param) WITH ORDINALITY AS e (entry, position)
        CROSS JOIN LATERAL heartlog_record_row(e.entry) AS w
        ORDER BY e.position
        RETURNING timestamp, level, heartlog_repeat_count(message, metadata) AS repeats)
    SELECT count(*)::integer,
           heartlog_problems_by_period(array_agg(heartlog_count_period(stored.timestamp)), array_agg(stored.level),
                                       array_agg(stored.repeats))
    INTO inserted, problems
    FROM stored;
END;
$$;

-- Its answer gained the stored problems (migration V7): a changed result type needs a new function.
DROP FUNCTION IF EXISTS heartlog_insert_logs_one_by_one(text, jsonb, text);

-- Stores the records of one batch one at a time, so that one bad record costs only itself.
-- Called only for a batch that neither the set-based insert nor heartlog_insert_logs_cleaned
-- could store. Each record is cleaned as heartlog_record_row cleans it. A record that still fails
-- (not an object, a task id too long to index, an orchestrator's own constraint) is replaced by
-- an ERROR row saying which record and why, so the gap is visible in the timeline.
CREATE OR REPLACE FUNCTION heartlog_insert_logs_one_by_one(
    worker_id_param text,
    logs_param jsonb,
    session_id_param text,
    OUT inserted integer,
    OUT rejected integer,
    OUT problems bigint[])   -- the stored problems, for fleet health (heartlog_problems_by_period)
LANGUAGE plpgsql
AS $$
DECLARE
    entry          jsonb;
    position       bigint;
    stored_at      timestamptz;
    stored_level   text;
    problem_times  bigint[] := '{}';
    problem_levels text[] := '{}';
    problem_repeats bigint[] := '{}';
    stored_repeats bigint;
BEGIN
    inserted := 0;
    rejected := 0;
    FOR entry, position IN
        SELECT e.value, e.ordinality
        FROM jsonb_array_elements(
                 CASE WHEN jsonb_typeof(logs_param) = 'array' THEN logs_param ELSE '[]'::jsonb END)
             WITH ORDINALITY AS e
    LOOP
        BEGIN
            IF jsonb_typeof(entry) <> 'object' THEN
                RAISE EXCEPTION 'a record must be a JSON object, not %',
                      CASE jsonb_typeof(entry) WHEN 'null' THEN 'null' WHEN 'array' THEN 'an array'
                                               ELSE 'a ' || jsonb_typeof(entry) END;
            END IF;
            INSERT INTO system_logs
                (timestamp, level, message, source_type, source_id, task_id, metadata, session_id, seq)
            SELECT w.stamped, w.level, w.message, 'worker', worker_id_param, w.task_id, w.metadata,
                   session_id_param, w.seq
            FROM heartlog_record_row(entry) AS w
            RETURNING timestamp, level, heartlog_repeat_count(message, metadata)
            INTO stored_at, stored_level, stored_repeats;
            inserted := inserted + 1;
        EXCEPTION WHEN OTHERS THEN
            rejected := rejected + 1;
            INSERT INTO system_logs
                (timestamp, level, message, source_type, source_id, metadata, session_id)
            VALUES (now(), 'ERROR',
                    format('heartlog rejected record %s of a batch: %s', position, SQLERRM),
                    'worker', worker_id_param,
                    jsonb_build_object('heartlog_rejected', left(entry::text, 4096), 'sqlstate', SQLSTATE),
                    session_id_param)
            RETURNING timestamp, level, NULL::bigint INTO stored_at, stored_level, stored_repeats;
        END;
        IF stored_level IN ('WARNING', 'ERROR', 'CRITICAL') THEN
            problem_times := problem_times || heartlog_count_period(stored_at);
            problem_levels := problem_levels || stored_level;
            problem_repeats := problem_repeats || stored_repeats;
        END IF;
    END LOOP;
    problems := heartlog_problems_by_period(problem_times, problem_levels, problem_repeats);
END;
$$;

CREATE OR REPLACE FUNCTION func_worker_heartbeat_with_logs(
    worker_id_param       text,
    vram_total_mb_param   integer DEFAULT NULL,
    vram_used_mb_param    integer DEFAULT NULL,
    logs_param            jsonb   DEFAULT '[]'::jsonb,
    current_task_id_param text    DEFAULT NULL,
    status_param          text    DEFAULT 'active',
    session_id_param      text    DEFAULT NULL,   -- the agent session (new at each start)
    batch_seq_param       bigint  DEFAULT NULL,   -- the batch's number within the session
    metadata_param        jsonb   DEFAULT NULL)   -- the agent's own figures, kept per heartbeat;
                                                  -- its "problem_counts" are the batch's problems
RETURNS jsonb
LANGUAGE plpgsql
-- Plans its statements once per session, whatever the caller's session says: heartlog serve's
-- and the command line's connections plan every query afresh (plan_cache_mode =
-- force_custom_plan, for the queries' optional filters), which made each heartbeat through
-- them about 15% dearer (pgbench, BENCHMARKS.md §3, "Counts sent by the agent").
SET plan_cache_mode = auto
-- A record's time without an offset (Python's datetime.utcnow().isoformat()) is UTC, however it
-- came: read in the caller's session zone, it was an hour or more off through heartlog serve on
-- a machine set to another zone (its JDBC sessions take the machine's), and through PostgREST it
-- depended on the database's default.
SET TimeZone = 'UTC'
-- Once the database has a writer (V10, `heartlog grant writer`), heartlog_grant_roles()
-- (R__roles.sql) makes it run as its owner, with names resolved in its own schema, where that is
-- safe: then a member of heartlog_writer needs no right on the tables and can store nothing but
-- what this function stores.
AS $$
DECLARE
    acting_role    name;      -- the role the session has switched to (SET ROLE), else its login
    writer_role    name;
    writer_prefix  text;
    writer_token_required boolean;
    token_claims   jsonb;     -- a PostgREST caller's verified token
    token_prefix   text;
    token_issued   text;
    revoked_before timestamptz;
    record_count   integer := 0;
    logs_inserted  integer := 0;
    logs_rejected  integer := 0;
    problems       bigint[];   -- the stored problems per period, for fleet health (V7)
    problems_sent  boolean := false;  -- counted by the agent, in its clock's periods
    sent_at_ms     numeric;    -- the agent's clock when it sent this heartbeat
    skew_ms        bigint;     -- its clock minus the store's (V12); NULL: it did not say
    applied        boolean;
    is_repeat      boolean := false;
    worker_row_error text;    -- why the orchestrator's workers table refused the heartbeat
    task_id_error  text;       -- why the heartbeat has no current task: its id too long to keep
    status_error   text;       -- why its status was cut: too long
    given          record;    -- the status and the task in the workers table's own types
    now_ms         bigint;     -- the live tail's notification: now, when this session last
    notified_at    text;       -- notified, and how often it may
    notify_every   text;
    since_ms       bigint;
BEGIN
    IF worker_id_param IS NULL OR btrim(worker_id_param) = '' THEN
        RETURN jsonb_build_object('success', false, 'logs_inserted', 0,
                                  'error', 'worker_id_param must not be empty');
    END IF;
    -- An id longer than an index entry holds (a B-tree's takes about 2.7 kB, after compression)
    -- failed the whole call with "index row size ... exceeds", at every heartbeat: a worker id
    -- is refused as an empty one is; a current task id (a presigned URL for a task's id) is left
    -- out of this heartbeat's history and row, and the answer says so. Its records are stored.
    IF octet_length(worker_id_param) > 2000 THEN
        RETURN jsonb_build_object('success', false, 'logs_inserted', 0,
                                  'error', format('worker_id_param is %s bytes long; heartlog takes worker ids of at most 2000',
                                                  octet_length(worker_id_param)));
    END IF;
    IF octet_length(current_task_id_param) > 2000 THEN
        task_id_error := format('current_task_id_param is %s bytes long, over the 2000 heartlog keeps: '
                                'this heartbeat has no current task', octet_length(current_task_id_param));
        current_task_id_param := NULL;
    END IF;
    -- A status is a word or two ('active', 'stopped', 'draining'). One of 100,000 characters (a
    -- worker that sent its error message as its status) was kept whole in the worker's row and
    -- in every heartbeat of its history, and `heartlog workers` printed it whole on its line.
    IF char_length(status_param) > 200 THEN
        status_error := format('status_param is %s characters long; heartlog keeps its first 200',
                               char_length(status_param));
        status_param := left(status_param, 200);
    END IF;
    -- A worker writes only as itself: a login given a prefix by `heartlog grant writer` (V10) may
    -- send heartbeats only for the worker ids that start with it. session_user is the login: a
    -- login with a prefix of its own is held to it, whatever role the session has set since.
    -- Roles belong to the server: a writer of another heartlog database on it has no prefix here,
    -- and may not write here at all, unless it may insert records anyway.
    -- Only a caller other than the function's owner is held (current_user is the owner while the
    -- function runs as its owner, and the login's role otherwise): the owner's own calls, most
    -- of them, cost one comparison. Running as its owner (the database has writers), the
    -- function can read heartlog_writers; with the caller's rights, a caller that cannot read it
    -- cannot be held to a prefix, and needs rights on the tables of its own to write.
    -- A PostgREST caller's token (below): its claims, read first, for a writer may require one.
    token_claims := nullif(current_setting('request.jwt.claims', true), '')::jsonb;
    token_prefix := coalesce(token_claims ->> 'heartlog_workers',
                             nullif(current_setting('request.jwt.claim.heartlog_workers', true), ''));
    IF current_user <> session_user AND has_table_privilege('heartlog_writers'::regclass, 'SELECT') THEN
        -- PostgREST logs in as one role (authenticator) and switches to the request's (SET ROLE
        -- authenticated): a login without a prefix of its own is held to that of the role it has
        -- switched to, which it may only switch to by being a member of it; and it is that role
        -- which may or may not insert records anyway (below).
        acting_role := coalesce(nullif(current_setting('role'), 'none'), session_user);
        SELECT w.role_name, w.worker_prefix, w.token_required INTO writer_role, writer_prefix, writer_token_required
        FROM heartlog_writers AS w
        WHERE w.role_name IN (session_user, acting_role)
        ORDER BY w.role_name = session_user DESC
        LIMIT 1;
        IF FOUND THEN
            IF NOT starts_with(worker_id_param, writer_prefix) THEN
                RAISE EXCEPTION 'heartlog: % may write only as workers whose id starts with "%", not as "%"',
                                writer_role, writer_prefix, worker_id_param
                      USING ERRCODE = 'insufficient_privilege';
            END IF;
            -- A role whose tokens others hold too (Supabase's authenticated: every signed-in user
            -- of the project's app) writes only with a token from `heartlog token` (V11).
            IF writer_token_required AND token_prefix IS NULL THEN
                RAISE EXCEPTION 'heartlog: % writes only with a token from heartlog token --workers PREFIX', writer_role
                      USING ERRCODE = 'insufficient_privilege';
            END IF;
        ELSIF NOT has_table_privilege(acting_role, 'system_logs'::regclass, 'INSERT') THEN
            -- Neither a writer with workers nor a role that may insert records anyway. Such a
            -- role may still hold the call: given it while it could insert (Supabase's anon,
            -- before README's lockdown took its rights on the tables), it keeps it. Behind
            -- PostgREST that is the project's key alone, without a token, which every worker has.
            IF pg_has_role(acting_role, to_regrole('heartlog_writer'), 'MEMBER') THEN
                RAISE EXCEPTION 'heartlog: % is a writer without workers in this database; '
                                'heartlog grant writer gives it some', acting_role
                      USING ERRCODE = 'insufficient_privilege';
            END IF;
            RAISE EXCEPTION 'heartlog: % may not write here: it may not insert records, and heartlog grant writer '
                            'has given it no workers', acting_role
                  USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    -- The same through PostgREST (Supabase): a token made by `heartlog token --workers PREFIX`
    -- carries the prefix in its claim heartlog_workers, and may write only as the workers whose
    -- id starts with it. PostgREST verifies the token and hands its claims over as
    -- request.jwt.claims (request.jwt.claim.<name> before PostgreSQL 14); once a transaction
    -- that set them has ended, a setting reads '', not NULL (the claims are read above). A call
    -- without such a claim, any call over JDBC among them, is not held by it.
    IF token_prefix IS NOT NULL THEN
        IF NOT starts_with(worker_id_param, token_prefix) THEN
            RAISE EXCEPTION 'heartlog: this token may write only as workers whose id starts with "%", not as "%"',
                            token_prefix, worker_id_param
                  USING ERRCODE = 'insufficient_privilege';
        END IF;
        -- Revoked (V11, `heartlog revoke --tokens`): the tokens for this prefix issued (iat)
        -- before a time. A token without a readable iat cannot show it is newer. Read where the
        -- function may read the table: running as its owner, as it does once the database has
        -- writers, which is when tokens hold anything (README, "tokens").
        IF has_table_privilege(to_regclass('heartlog_revoked_tokens'), 'SELECT') THEN
            token_issued := coalesce(token_claims ->> 'iat', nullif(current_setting('request.jwt.claim.iat', true), ''));
            SELECT r.issued_before INTO revoked_before FROM heartlog_revoked_tokens AS r
            WHERE r.worker_prefix = token_prefix
              AND (token_issued IS NULL OR token_issued !~ '^[0-9]{1,12}(\.[0-9]+)?$'
                   OR to_timestamp(token_issued::numeric) < r.issued_before);
            IF FOUND THEN
                RAISE EXCEPTION 'heartlog: the tokens for the workers "%" issued before % are revoked; heartlog token '
                                'makes a new one', token_prefix, revoked_before
                      USING ERRCODE = 'insufficient_privilege';
            END IF;
        END IF;
    END IF;
    IF jsonb_typeof(logs_param) = 'array' THEN
        record_count := jsonb_array_length(logs_param);
    ELSIF jsonb_typeof(logs_param) <> 'null' THEN
        -- Not an array (a batch encoded twice, a lone record, no record at all): read as one.
        logs_param := heartlog_logs_array(logs_param);
        record_count := jsonb_array_length(logs_param);
    END IF;

    -- Exactly once: a batch number at or below the last one applied for this session is a
    -- retry of a batch already stored (its answer was lost on the way back): acknowledge it,
    -- store nothing. One statement: it inserts or raises the session's number, and returns no
    -- row when the number is not new. The row lock queues concurrent retries.
    IF session_id_param IS NOT NULL AND batch_seq_param IS NOT NULL THEN
        INSERT INTO worker_sessions AS s (worker_id, session_id, last_batch_seq)
        VALUES (worker_id_param, session_id_param, batch_seq_param)
        ON CONFLICT (worker_id, session_id) DO UPDATE
            SET last_batch_seq = excluded.last_batch_seq, last_seen_at = now()
            WHERE s.last_batch_seq < excluded.last_batch_seq
        RETURNING true INTO applied;
        is_repeat := applied IS NULL;
    END IF;

    -- The worker's clock (V12): a heartlog agent sends its time with each heartbeat. A JSON
    -- number always reads as numeric, so no exception block is needed; one of no plausible time
    -- (before 1970, after the year 5138) says nothing.
    IF jsonb_typeof(metadata_param -> 'sent_at_ms') = 'number' THEN
        sent_at_ms := (metadata_param ->> 'sent_at_ms')::numeric;
        IF sent_at_ms BETWEEN 0 AND 1e14 THEN
            skew_ms := round(sent_at_ms - extract(epoch FROM now()) * 1000);
        END IF;
    END IF;

    IF record_count > 0 AND NOT is_repeat THEN
        -- Fleet health's counts (migration V7): a heartlog agent counts its batch's problems
        -- and sends them in metadata_param, "problem_counts": [[period, errors, warnings],
        -- ...]; adding them costs a heartbeat 2-4%, counting the records here about 10%
        -- (pgbench, BENCHMARKS.md §3). Counts that are not whole numbers are left, and the
        -- records counted instead (below), in a block of their own: inside the insert's
        -- block they would have sent a good batch down the record-by-record path.
        IF jsonb_typeof(metadata_param) = 'object' THEN
            BEGIN
                SELECT r.problem_counts INTO problems
                FROM jsonb_to_record(metadata_param) AS r(problem_counts bigint[]);
                problems_sent := problems IS NOT NULL;
            EXCEPTION WHEN OTHERS THEN
                problems := NULL;
            END;
        END IF;
        -- The normal case: one set-based insert. One bad record fails it; then the batch is
        -- stored record by record instead, isolating what fails.
        BEGIN
            INSERT INTO system_logs
                (timestamp, level, message, source_type, source_id, task_id, metadata, session_id, seq)
            SELECT coalesce(r.timestamp, now()),
                   coalesce(heartlog_level(r.level), 'INFO'),
                   coalesce(r.message, ''),
                   'worker', worker_id_param, r.task_id,
                   -- Concatenating jsonb copies it: only for the rare unknown level.
                   CASE WHEN heartlog_level(r.level) IS NULL AND r.level IS NOT NULL
                        THEN coalesce(r.metadata, '{}'::jsonb) || jsonb_build_object('original_level', r.level)
                        ELSE coalesce(r.metadata, '{}'::jsonb) END,
                   session_id_param, r.seq
            FROM jsonb_to_recordset(logs_param) AS r(
                "timestamp" timestamptz, level text, message text, task_id text, metadata jsonb, seq bigint);
            GET DIAGNOSTICS logs_inserted = ROW_COUNT;
        EXCEPTION WHEN OTHERS THEN
            -- Read again as the record-by-record path reads each record, still in one
            -- statement; only a batch that fails that too is stored record by record. Either
            -- counts the problems it stored itself, in the records' times.
            problems_sent := false;
            BEGIN
                SELECT c.inserted, c.problems INTO logs_inserted, problems
                FROM heartlog_insert_logs_cleaned(worker_id_param, logs_param, session_id_param) AS c;
            EXCEPTION WHEN OTHERS THEN
                SELECT o.inserted, o.rejected, o.problems INTO logs_inserted, logs_rejected, problems
                FROM heartlog_insert_logs_one_by_one(worker_id_param, logs_param, session_id_param) AS o;
            END;
        END;
        -- The problems of a batch sent without counts (a Python worker calling the store
        -- directly; through heartlog serve, the server counts them), and counts of another
        -- shape than the agent's, are counted here, in a second pass over the batch's records.
        IF problems <> '{}'
           AND (array_ndims(problems) <> 2 OR array_length(problems, 2) <> 3 OR 0 > ANY (problems)) THEN
            problems := NULL;
            problems_sent := false;
        END IF;
        -- The agent's counts are in its clock's periods: a clock 2.5 minutes or more off moves
        -- them into the store's, whole periods at a time, so that a worker whose clock runs
        -- hours behind has this minute's errors in the last hour. (Counts the store makes,
        -- below and in the paths that clean a batch, stay in the records' times.)
        IF problems_sent AND abs(skew_ms) >= 150000 THEN
            problems := heartlog_shift_problems(problems, -round(skew_ms / 300000.0)::bigint);
        END IF;
        IF problems IS NULL THEN
            -- Timestamps read as text and cast only for the problem records: the same text
            -- the insert parsed, so the same times, and no parsing for the other records.
            SELECT coalesce(array_agg(ARRAY[p.period, p.errors, p.warnings] ORDER BY p.period), '{}')
            INTO problems
            FROM (SELECT heartlog_count_period(coalesce(r.timestamp::timestamptz, now())) AS period,
                         count(*) FILTER (WHERE r.level <> 'WARNING') AS errors,
                         count(*) FILTER (WHERE r.level = 'WARNING')  AS warnings
                  FROM (SELECT t.timestamp, heartlog_level(t.level) AS level
                        FROM jsonb_to_recordset(logs_param) AS t("timestamp" text, level text)) AS r
                  WHERE r.level IN ('WARNING', 'ERROR', 'CRITICAL')
                  GROUP BY 1) AS p;
        END IF;
    END IF;

    -- The heartbeat itself: the worker's row, created on first contact. A plain UPDATE rather
    -- than INSERT ... ON CONFLICT DO UPDATE: the upsert locks the row before it updates it (one
    -- more WAL record per heartbeat) and sets up its VALUES and its SET, where the UPDATE costs
    -- the function 1% fewer instructions per call (callgrind; BENCHMARKS.md, "Part 2 by
    -- instruction counts").
    -- On first contact the row is inserted and the second pass updates it; a concurrent first
    -- contact of the same worker inserts nothing (ON CONFLICT DO NOTHING) and updates as well.
    -- Two passes at most: an orchestrator's trigger that skips the update must not hang the call.
    -- The orchestrator owns `workers`, and its table may refuse what a heartbeat writes there: a
    -- status its CHECK or its enum type does not list ('stopped'), a task id its column cannot
    -- read, a new worker without a column it requires (NOT NULL, no default), a trigger of its
    -- own that raises, row-level security (Supabase's tables have it on) that lets the caller
    -- read the table but not write it. The seed's function only ever updated the row with
    -- 'active', so such a table never refused its heartbeats. Here the records and the
    -- heartbeat's history are stored all the same, and the answer says why the row was not
    -- written.
    -- The status and the task are written as the table's own types (an enum status, a uuid or
    -- bigint task id): jsonb_populate_record reads each through its column's input function, as
    -- PostgREST does for the seed's PATCH. A text parameter written there directly would stop
    -- every heartbeat ("column status is of type worker_status but expression is of type text").
    -- Read into a variable, not in a subquery of the UPDATE: 15,000-28,000 instructions a call
    -- (0.2-0.3%) against 72,000-81,000 (BENCHMARKS.md §2, "A workers table of its own types").
    BEGIN
        given := jsonb_populate_record(NULL::workers,
                     jsonb_build_object('status', coalesce(status_param, 'active'),
                                        'current_task_id', current_task_id_param));
        FOR pass IN 1 .. 2 LOOP
            UPDATE workers AS w
                SET status          = given.status,
                    last_heartbeat  = now(),
                    vram_total_mb   = coalesce(vram_total_mb_param, w.vram_total_mb),
                    vram_used_mb    = coalesce(vram_used_mb_param, w.vram_used_mb),
                    current_task_id = given.current_task_id,
                    clock_skew_ms   = skew_ms,
                    -- Why its GPU figures are missing (V16), as the agent said; capped, as a
                    -- client other than the agent may send anything there.
                    gpu_problem     = left(metadata_param ->> 'gpu_problem', 500),
                    -- Fleet health's counts of the last hour's problems (migration V7).
                    problem_errors   = heartlog_add_problems(w.problem_errors, problems, 2),
                    problem_warnings = heartlog_add_problems(w.problem_warnings, problems, 3),
                    -- Several processes under one id (V15): this heartbeat's session is not the
                    -- last one's, yet it sent heartbeats in the last 10 minutes, so it went on
                    -- sending while the other did. Looked up only when the session changed: at
                    -- a restart, and at each heartbeat of an id that several processes share.
                    shared_id_at     = CASE
                        WHEN session_id_param IS NOT NULL AND w.heartlog_session IS NOT NULL
                             AND w.heartlog_session <> session_id_param
                             AND EXISTS (SELECT FROM worker_heartbeats h
                                         WHERE h.worker_id = worker_id_param
                                           AND h.received_at > now() - interval '10 minutes'
                                           AND h.session_id = session_id_param)
                        THEN now() ELSE w.shared_id_at END,
                    heartlog_session = coalesce(session_id_param, w.heartlog_session)
                WHERE w.id = worker_id_param;
            EXIT WHEN FOUND;
            INSERT INTO workers (id, status, last_heartbeat, vram_total_mb, vram_used_mb, current_task_id)
            VALUES (worker_id_param, given.status, now(), vram_total_mb_param, vram_used_mb_param, given.current_task_id)
            ON CONFLICT (id) DO NOTHING;
        END LOOP;
    EXCEPTION WHEN integrity_constraint_violation OR data_exception OR raise_exception OR insufficient_privilege THEN
        GET STACKED DIAGNOSTICS worker_row_error = MESSAGE_TEXT;
        -- Kept for fleet health (V13), which lists the rows of workers and would not show a
        -- worker the orchestrator never registered. A caller that may store records but not
        -- write this table (no writers, the caller's own rights) still stores them.
        BEGIN
            INSERT INTO worker_row_refusals (worker_id, refused_at, reason)
            VALUES (worker_id_param, now(), worker_row_error)
            ON CONFLICT (worker_id) DO UPDATE SET refused_at = excluded.refused_at, reason = excluded.reason;
        EXCEPTION WHEN insufficient_privilege THEN
            NULL;
        END;
    END;

    INSERT INTO worker_heartbeats
        (worker_id, status, vram_total_mb, vram_used_mb, current_task_id, records, logs_inserted,
         session_id, batch_seq, metadata)
    VALUES (worker_id_param, coalesce(status_param, 'active'), vram_total_mb_param, vram_used_mb_param,
            current_task_id_param, record_count, logs_inserted, session_id_param, batch_seq_param,
            metadata_param);

    -- Live tail: listeners (heartlog serve) learn that records were stored, and read everything
    -- new. A notification is not free even when nobody listens: PostgreSQL holds a database-wide
    -- lock from the commit's queueing of it until the commit is flushed, so the commits of all
    -- notifying transactions wait for each other (pgbench, BENCHMARKS.md: 16 clients inserting
    -- a row each made 11,300 commits/s, 3,900 with a notification). So a connection notifies at
    -- most once per heartlog.notify_interval_ms (default 200; 0: every call), and heartlog serve
    -- also looks for new records every second.
    IF logs_inserted + logs_rejected > 0 THEN
        -- A setting that is not a whole number is ignored: it must never fail a heartbeat. A
        -- clock set back notifies at once rather than falling silent until it catches up.
        now_ms := (extract(epoch FROM clock_timestamp()) * 1000)::bigint;
        notified_at := current_setting('heartlog.notified_at_ms', true);
        notify_every := current_setting('heartlog.notify_interval_ms', true);
        since_ms := now_ms - CASE WHEN length(notified_at) BETWEEN 1 AND 18 AND notified_at !~ '[^0-9]'
                                  THEN notified_at::bigint ELSE 0 END;
        IF since_ms < 0
           OR since_ms >= (CASE WHEN length(notify_every) BETWEEN 1 AND 12 AND notify_every !~ '[^0-9]'
                                THEN notify_every::bigint ELSE 200 END) THEN
            PERFORM pg_notify('heartlog_logs', worker_id_param);
            -- For the session, not the transaction; a rollback undoes it with the notification.
            PERFORM set_config('heartlog.notified_at_ms', now_ms::text, false);
        END IF;
    END IF;

    IF worker_row_error IS NOT NULL OR task_id_error IS NOT NULL OR status_error IS NOT NULL THEN
        RETURN jsonb_strip_nulls(jsonb_build_object('success', true, 'logs_inserted', logs_inserted,
                                  'logs_rejected', logs_rejected, 'duplicate', is_repeat,
                                  'worker_row_error', worker_row_error, 'current_task_error', task_id_error,
                                  'status_error', status_error));
    END IF;
    RETURN jsonb_build_object('success', true, 'logs_inserted', logs_inserted,
                              'logs_rejected', logs_rejected, 'duplicate', is_repeat);
END;
$$;
