-- Partition maintenance and retention.
--
-- system_logs has one partition per UTC day of created_at, named system_logs_pYYYYMMDD.
-- heartlog_maintain() creates the coming days' partitions and drops those past retention;
-- `heartlog maintain`, `heartlog migrate` and (where the extension exists) pg_cron run it.

-- Creates the partitions of today and the next days_ahead days (UTC) that do not exist yet.
-- Rows of such a day that already sit in the default partition are moved into the new one in
-- the same transaction: PostgreSQL refuses to create a partition whose rows are in the default.
CREATE OR REPLACE FUNCTION heartlog_ensure_partitions(days_ahead integer DEFAULT 3)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    today   date := (now() AT TIME ZONE 'UTC')::date;
    day     date;
    name    text;
    low     timestamptz;
    high    timestamptz;
    created integer := 0;
    target  record;
BEGIN
    FOR offset_days IN 0 .. greatest(days_ahead, 0) LOOP
        day  := today + offset_days;
        name := 'system_logs_p' || to_char(day, 'YYYYMMDD');
        low  := day::timestamp AT TIME ZONE 'UTC';
        high := (day + 1)::timestamp AT TIME ZONE 'UTC';
        CONTINUE WHEN to_regclass(name) IS NOT NULL;

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
        created := created + 1;
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

-- Drops the day partitions whose whole day lies before now() - retention (NULL: the store's,
-- heartlog_retention()), and deletes older rows left in the default partition. Dropping a
-- partition is instant and writes almost no WAL, unlike DELETE. Returns the number of partitions
-- dropped. A retention under an hour is refused and nothing is deleted: it is a mistake, such
-- as heartlog.retention = '48', which PostgreSQL reads as 48 seconds, and it would delete every
-- earlier day and every heartbeat as they arrive.
CREATE OR REPLACE FUNCTION heartlog_drop_old_partitions(retention interval DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    kept    interval := coalesce(retention, heartlog_retention());
    cutoff  timestamptz := now() - kept;
    part    record;
    dropped integer := 0;
BEGIN
    IF kept < interval '1 hour' THEN
        RAISE EXCEPTION 'heartlog: a retention of % is under an hour; nothing was deleted', kept
            USING HINT = 'Give its unit: heartlog.retention = ''48 hours'' or ''7 days'', --retention 48h or 7d';
    END IF;
    FOR part IN
        SELECT c.relname AS name,
               (to_date(substring(c.relname FROM 'system_logs_p(\d{8})$'), 'YYYYMMDD') + 1)::timestamp
                   AT TIME ZONE 'UTC' AS day_end
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'system_logs'::regclass
          AND c.relname ~ '^system_logs_p\d{8}$'
    LOOP
        IF part.day_end <= cutoff THEN
            EXECUTE format('DROP TABLE %I', part.name);
            dropped := dropped + 1;
        END IF;
    END LOOP;
    DELETE FROM system_logs_default WHERE created_at < cutoff;
    DELETE FROM worker_heartbeats WHERE received_at < cutoff;
    DELETE FROM worker_sessions WHERE last_seen_at < cutoff;
    DELETE FROM worker_row_refusals WHERE refused_at < cutoff;
    RETURN dropped;
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

-- Everything maintenance does, in one call; returns what it did.
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
    created := heartlog_ensure_partitions(days_ahead);
    dropped := heartlog_drop_old_partitions(kept);
    RETURN jsonb_build_object('partitions_created', created, 'partitions_dropped', dropped,
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
