-- Partition maintenance and retention.
--
-- system_logs has one partition per UTC day of created_at, named system_logs_pYYYYMMDD.
-- heartlog_maintain() creates the coming days' partitions and drops those past retention;
-- `heartlog maintain`, `heartlog migrate` and (where the extension exists) pg_cron run it.

-- Runs one statement that needs a strong lock on system_logs or one of its partitions, waiting
-- at most 100 ms for its locks at a time, up to 10 times half a second apart; returns whether it
-- ran (a statement that did not run changed nothing). A lock request that waits holds up every
-- later request on the same table: DROP of a partition (ACCESS EXCLUSIVE on system_logs) queued
-- behind a reader that holds the table for a minute, an export or a dump, would stall every
-- heartbeat that carries records for that minute, and ATTACH (ACCESS EXCLUSIVE on the default
-- partition) every reader. Maintenance that cannot have its locks is left to the next run.
CREATE OR REPLACE FUNCTION heartlog_run_with_brief_locks(statement text)
RETURNS boolean
LANGUAGE plpgsql
AS $$
DECLARE
    previous text := current_setting('lock_timeout');
BEGIN
    FOR attempt IN 1 .. 10 LOOP
        BEGIN
            PERFORM set_config('lock_timeout', '100ms', true);
            EXECUTE statement;
            PERFORM set_config('lock_timeout', previous, true);
            RETURN true;
        EXCEPTION WHEN lock_not_available THEN
            -- The block is rolled back, the statement's work and lock_timeout's setting with it.
            IF attempt < 10 THEN
                PERFORM pg_sleep(0.5);
            END IF;
        END;
    END LOOP;
    RETURN false;
END;
$$;

-- Whether this transaction may do maintenance: one run at a time, whoever calls it (pg_cron's
-- hourly job, each heartlog serve behind a load balancer, heartlog maintain). Two at once found
-- the same day's partition missing, and the second failed creating it ("relation ... already
-- exists"), and all of its maintenance with it. A run that finds another under way leaves the
-- work to that one rather than wait for it: a session left idle in a transaction after
-- maintenance would otherwise hold up every later run. The lock ends with the transaction.
CREATE OR REPLACE FUNCTION heartlog_maintenance_turn()
RETURNS boolean
LANGUAGE sql VOLATILE
AS $$
    SELECT pg_try_advisory_xact_lock(hashtext('heartlog maintenance'))
$$;

-- The days, from today (UTC) to days_ahead days on, that have no partition yet.
CREATE OR REPLACE FUNCTION heartlog_missing_partitions(days_ahead integer)
RETURNS SETOF date
LANGUAGE sql STABLE
AS $$
    SELECT day::date
    FROM generate_series((now() AT TIME ZONE 'UTC')::date,
                         (now() AT TIME ZONE 'UTC')::date + greatest(days_ahead, 0), interval '1 day') AS day
    WHERE to_regclass('system_logs_p' || to_char(day, 'YYYYMMDD')) IS NULL
    ORDER BY day
$$;

-- Creates the partition of one UTC day. Rows of that day that already sit in the default
-- partition are moved into it in the same transaction: PostgreSQL refuses to attach a partition
-- whose rows are in the default. The default partition is locked first, as the ATTACH would
-- lock it: a heartbeat that stored a row of that day there between the move and the ATTACH
-- made the ATTACH fail, and with it all of maintenance, on every run while heartbeats came (a
-- store catching up on a day whose partition was missing). Its records wait for the move.
CREATE OR REPLACE FUNCTION heartlog_create_day_partition(day date)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    name   text := 'system_logs_p' || to_char(day, 'YYYYMMDD');
    low    timestamptz := day::timestamp AT TIME ZONE 'UTC';
    high   timestamptz := (day + 1)::timestamp AT TIME ZONE 'UTC';
    target record;
BEGIN
    LOCK TABLE system_logs_default IN ACCESS EXCLUSIVE MODE;
    EXECUTE format('CREATE TABLE %I (LIKE system_logs INCLUDING DEFAULTS)', name);
    -- A new table takes no per-column statistics targets from system_logs (metadata has
    -- none, V8): each one set there is set here too.
    FOR target IN
        SELECT a.attname, a.attstattarget
        FROM pg_attribute a
        WHERE a.attrelid = 'system_logs'::regclass AND a.attnum > 0 AND NOT a.attisdropped
          AND a.attstattarget >= 0
    LOOP
        EXECUTE format('ALTER TABLE %I ALTER COLUMN %I SET STATISTICS %s', name, target.attname, target.attstattarget);
    END LOOP;
    EXECUTE format(
        'WITH moved AS (DELETE FROM system_logs_default WHERE created_at >= $1 AND created_at < $2 RETURNING *) '
        'INSERT INTO %I SELECT * FROM moved', name)
        USING low, high;
    EXECUTE format('ALTER TABLE system_logs ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                   name, low, high);
END;
$$;

-- Creates the partitions of today and the next days_ahead days (UTC) that do not exist yet;
-- returns how many it created. A day whose partition could not have its locks in time is left
-- to the next run (heartlog_run_with_brief_locks); its rows wait in the default partition.
CREATE OR REPLACE FUNCTION heartlog_ensure_partitions(days_ahead integer DEFAULT 3)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    day     date;
    created integer := 0;
BEGIN
    IF NOT heartlog_maintenance_turn() THEN
        RETURN 0;   -- another run is under way, and creates them
    END IF;
    FOR day IN SELECT heartlog_missing_partitions(days_ahead) LOOP
        IF heartlog_run_with_brief_locks(format('SELECT heartlog_create_day_partition(%L)', day)) THEN
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END;
$$;

-- How long the store keeps records: the database's heartlog.retention (ALTER DATABASE ... SET
-- heartlog.retention = '7 days'), else the seed's 48 hours. One setting for every way
-- maintenance runs: pg_cron's hourly job, heartlog serve, heartlog maintain and the seed's
-- cleanup_old_system_logs(), unless a caller names another retention.
CREATE OR REPLACE FUNCTION heartlog_retention()
RETURNS interval
LANGUAGE sql STABLE
AS $$
    SELECT coalesce(nullif(current_setting('heartlog.retention', true), '')::interval, interval '48 hours')
$$;

-- The day partitions whose whole day lies before now() - retention.
CREATE OR REPLACE FUNCTION heartlog_expired_partitions(retention interval)
RETURNS SETOF text
LANGUAGE sql STABLE
AS $$
    SELECT c.relname::text
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'system_logs'::regclass
      AND c.relname ~ '^system_logs_p\d{8}$'
      AND (to_date(substring(c.relname FROM 'system_logs_p(\d{8})$'), 'YYYYMMDD') + 1)::timestamp
              AT TIME ZONE 'UTC' <= now() - retention
    ORDER BY c.relname
$$;

-- Drops the day partitions whose whole day lies before now() - retention (NULL: the store's,
-- heartlog_retention()), and deletes older rows left in the default partition. Dropping a
-- partition is instant and writes almost no WAL, unlike DELETE. Returns the number of partitions
-- dropped. A retention under an hour is refused and nothing is deleted: it is a mistake, such
-- as heartlog.retention = '48', which PostgreSQL reads as 48 seconds, and it would delete every
-- earlier day and every heartbeat as they arrive.
--
-- The partitions are dropped last, in one statement, and only with brief lock waits
-- (heartlog_run_with_brief_locks): from the DROP to the end of the caller's transaction, every
-- heartbeat that carries records waits for system_logs.
CREATE OR REPLACE FUNCTION heartlog_drop_old_partitions(retention interval DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    kept    interval := coalesce(retention, heartlog_retention());
    cutoff  timestamptz := now() - kept;
    expired text[];
BEGIN
    IF kept < interval '1 hour' THEN
        RAISE EXCEPTION 'heartlog: a retention of % is under an hour; nothing was deleted', kept
            USING HINT = 'Give its unit: heartlog.retention = ''48 hours'' or ''7 days'', --retention 48h or 7d';
    END IF;
    IF NOT heartlog_maintenance_turn() THEN
        RETURN 0;   -- another run is under way, and drops them
    END IF;
    DELETE FROM system_logs_default WHERE created_at < cutoff;
    DELETE FROM worker_heartbeats WHERE received_at < cutoff;
    DELETE FROM worker_sessions WHERE last_seen_at < cutoff;
    DELETE FROM worker_row_refusals WHERE refused_at < cutoff;
    SELECT array_agg(format('%I', name)) INTO expired FROM heartlog_expired_partitions(kept) AS name;
    IF expired IS NULL OR NOT heartlog_run_with_brief_locks('DROP TABLE ' || array_to_string(expired, ', ')) THEN
        RETURN 0;
    END IF;
    RETURN cardinality(expired);
END;
$$;

-- The seed's retention entry point, kept so existing schedulers keep working: the store's
-- retention, 48 hours unless heartlog.retention says otherwise.
CREATE OR REPLACE FUNCTION cleanup_old_system_logs()
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM heartlog_drop_old_partitions();
END;
$$;

-- Summarizes the ranges of pages of the id index (migration V9) that were filled since it was
-- last summarized, in every partition; returns how many, or -1 when a partition's lock was held
-- (by a VACUUM, which summarizes them itself, say) and that partition was skipped after 10 ms:
-- waiting longer would make every caller wait, and past deadlock_timeout cancel an autovacuum.
-- BRIN leaves a new range unsummarized until a VACUUM, and a read by id must read every page of
-- every unsummarized range: at a fleet's 50,000 records a second, hundreds of thousands of rows
-- for each read of those following the store (BENCHMARKS.md §8). So those followers (logs
-- --follow, heartlog serve's live tail) call this before they read. Only the tables' owner may
-- summarize (SQLSTATE 42501 otherwise), so heartlog_grant_roles() (R__roles.sql) makes it run
-- as its owner where that is safe: a follower that connects as a member of heartlog_reader (V10)
-- summarizes too. It does nothing else, so anyone may call it.
--
-- Only full ranges, newest first, back to one summarized already (VACUUM summarizes from the
-- start). The range still being filled is left: summarized, every record inserted into it would
-- update its summary, a BRIN WAL record per record, as brin_summarize_new_values would have it.
CREATE OR REPLACE FUNCTION heartlog_summarize_new_ids()
RETURNS integer
LANGUAGE plpgsql
SET lock_timeout = '10ms'
AS $$
DECLARE
    partition   record;
    range_start bigint;
    summarized  integer := 0;
    skipped     boolean := false;
BEGIN
    FOR partition IN
        SELECT i.indexrelid::regclass AS index,
               pg_relation_size(i.indrelid) / current_setting('block_size')::bigint AS pages,
               coalesce((SELECT o.option_value::integer FROM pg_options_to_table(c.reloptions) AS o
                         WHERE o.option_name = 'pages_per_range'), 128) AS pages_per_range
        FROM pg_inherits AS h
        JOIN pg_index AS i ON i.indexrelid = h.inhrelid
        JOIN pg_class AS c ON c.oid = h.inhrelid
        WHERE h.inhparent = 'system_logs_id_brin'::regclass
    LOOP
        range_start := (partition.pages / partition.pages_per_range - 1) * partition.pages_per_range;
        BEGIN
            WHILE range_start >= 0 AND brin_summarize_range(partition.index, range_start) > 0 LOOP
                summarized := summarized + 1;
                range_start := range_start - partition.pages_per_range;
            END LOOP;
        EXCEPTION WHEN lock_not_available THEN
            skipped := true;
        END;
    END LOOP;
    RETURN CASE WHEN skipped THEN -1 ELSE summarized END;
END;
$$;

-- Everything maintenance does, in one call; returns what it did, or that it did nothing because
-- another run was under way ("skipped"). partitions_in_use counts the
-- partitions it should have created or dropped but could not have the locks for in time (a long
-- read of system_logs held them): the next run does them. The new ones are made first: from the
-- ATTACH to the end of the transaction only readers wait (for the default partition), and from
-- the DROP heartbeats too, so the DROP comes last.
CREATE OR REPLACE FUNCTION heartlog_maintain(
    retention  interval DEFAULT NULL,
    days_ahead integer  DEFAULT 3)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
    kept    interval := coalesce(retention, heartlog_retention());
    created integer;
    dropped integer;
BEGIN
    IF NOT heartlog_maintenance_turn() THEN
        RETURN jsonb_build_object('partitions_created', 0, 'partitions_dropped', 0, 'partitions_in_use', 0,
                                  'retention', kept::text, 'skipped', 'another maintenance run is under way');
    END IF;
    created := heartlog_ensure_partitions(days_ahead);
    dropped := heartlog_drop_old_partitions(kept);
    RETURN jsonb_build_object('partitions_created', created, 'partitions_dropped', dropped,
                              'partitions_in_use', (SELECT count(*) FROM heartlog_missing_partitions(days_ahead))
                                                 + (SELECT count(*) FROM heartlog_expired_partitions(kept)),
                              'retention', kept::text);
END;
$$;

-- Where pg_cron is installed (Supabase has it), maintenance runs hourly inside the database.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
        PERFORM cron.schedule('heartlog-maintain', '17 * * * *', 'SELECT heartlog_maintain()');
    END IF;
END;
$$;
