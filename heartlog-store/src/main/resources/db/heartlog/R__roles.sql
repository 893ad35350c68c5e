-- What the roles of V10 may do, and the functions `heartlog grant` and `heartlog revoke` call.
SET LOCAL client_min_messages = warning;

-- Why heartlog's functions may not run as their owner here, or NULL when they may.
--
-- A function that runs as its owner (SECURITY DEFINER) resolves the names it calls in its
-- search_path. Whoever may create objects in a schema on that path can plant a function there
-- that matches a call better than the built-in one, and have it run with the owner's rights
-- (CVE-2018-1058). So heartlog's functions run as their owner only where nobody but the schema's
-- owner, the functions' own owner and superusers may create objects in heartlog's schema:
-- PostgreSQL 15's default for the schema public, not 14's, where everyone may.
CREATE OR REPLACE FUNCTION heartlog_roles_problem()
RETURNS text
LANGUAGE sql STABLE
AS $$
    SELECT format('others may create objects in schema %I, where heartlog''s functions resolve names, so '
                  'they keep running with their callers'' rights and heartlog_writer cannot write; '
                  'to allow it: REVOKE CREATE ON SCHEMA %I FROM %s (PostgreSQL 15''s default), then heartlog migrate',
                  n.nspname, n.nspname,
                  string_agg(CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END, ', '))
    FROM pg_proc AS p
    JOIN pg_namespace AS n ON n.oid = p.pronamespace
    CROSS JOIN aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) AS a
    LEFT JOIN pg_roles AS r ON r.oid = a.grantee
    WHERE p.oid = 'func_worker_heartbeat_with_logs(text, integer, integer, jsonb, text, text, text, bigint, jsonb)'::regprocedure
      AND a.privilege_type = 'CREATE'
      AND a.grantee <> n.nspowner
      -- The functions' own owner (an application's database user given CREATE on public, as
      -- PostgreSQL 15 and later need, then running migrate) gains nothing by planting objects.
      AND a.grantee <> p.proowner
      AND NOT coalesce(r.rolsuper, false)
    GROUP BY n.nspname
$$;

-- Grants each role of V10 that exists what it needs; run at the end of this file, by every
-- `heartlog migrate`, and by heartlog_grant_writer() and heartlog_revoke().
--
-- Where heartlog_roles_problem() finds nothing, the id summarizing runs as its owner, and so does
-- the ingest function once this database has a writer (a row in heartlog_writers): until then a
-- store keeps the access rules it had before V10, and an upgrade changes no one's rights (nor,
-- measured, the cost of the owner's calls: BENCHMARKS.md §8, "Roles"). Then not everyone may
-- call the ingest function any more:
-- whoever may insert records may (so a worker's existing database user keeps working: on Supabase
-- the API's roles, elsewhere whatever user was given the tables), and heartlog_writer. Otherwise
-- it runs with the caller's rights, as before V10, and anyone may call it, as before.
CREATE OR REPLACE FUNCTION heartlog_grant_roles()
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    ingest constant regprocedure :=
        'func_worker_heartbeat_with_logs(text, integer, integer, jsonb, text, text, text, bigint, jsonb)';
    summarize constant regprocedure := 'heartlog_summarize_new_ids()';
    home name;
    problem text := heartlog_roles_problem();
    has_writers boolean := false;
    inserter name;
    grantee text;
    owners_only text;
BEGIN
    -- Read by EXECUTE: a store migrated only up to V9 (Flyway's target) has no such table yet.
    IF to_regclass('heartlog_writers') IS NOT NULL THEN
        EXECUTE 'SELECT EXISTS (SELECT FROM heartlog_writers)' INTO has_writers;
    END IF;
    SELECT n.nspname INTO home FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace
    WHERE p.oid = ingest;
    IF problem IS NOT NULL THEN
        RAISE WARNING 'heartlog: %', problem;
        EXECUTE format('ALTER FUNCTION %s SECURITY INVOKER RESET search_path', summarize);
    ELSE
        EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER SET search_path = %I, pg_temp', summarize, home);
    END IF;

    IF problem IS NOT NULL OR NOT has_writers THEN
        EXECUTE format('ALTER FUNCTION %s SECURITY INVOKER RESET search_path', ingest);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO PUBLIC', ingest);
    ELSE
        -- pg_temp last: first, as PostgreSQL has it by default, a caller's temporary table named
        -- heartlog_writers would be read instead of heartlog's.
        EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER SET search_path = %I, pg_temp', ingest, home);
        IF EXISTS (SELECT FROM pg_class AS c, aclexplode(c.relacl) AS a
                   WHERE c.oid = 'system_logs'::regclass AND a.grantee = 0 AND a.privilege_type = 'INSERT') THEN
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO PUBLIC', ingest);
        ELSE
            EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', ingest);
        END IF;
        FOR inserter IN
            SELECT r.rolname FROM pg_roles AS r
            WHERE NOT r.rolsuper AND r.rolname !~ '^pg_'
              AND has_table_privilege(r.oid, 'system_logs', 'INSERT')
        LOOP
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %I', ingest, inserter);
        END LOOP;
    END IF;

    -- Who may write as which worker, and which tokens are revoked, is the owner's to read and
    -- change, no one else's. Where new tables are granted to others by default (Supabase grants
    -- its API roles every table made in public, so anyone with the project's key could have
    -- rewritten them), that is taken back.
    FOREACH owners_only IN ARRAY ARRAY['heartlog_writers', 'heartlog_revoked_tokens'] LOOP
        CONTINUE WHEN to_regclass(owners_only) IS NULL;   -- a store migrated only part of the way
        FOR grantee IN
            SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END
            FROM pg_class AS c
            CROSS JOIN aclexplode(c.relacl) AS a
            LEFT JOIN pg_roles AS r ON r.oid = a.grantee
            WHERE c.oid = to_regclass(owners_only) AND a.grantee <> c.relowner
        LOOP
            EXECUTE format('REVOKE ALL ON %I FROM %s', owners_only, grantee);
        END LOOP;
    END LOOP;

    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'heartlog_writer') THEN
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO heartlog_writer', ingest);
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'heartlog_reader') THEN
        GRANT SELECT ON system_logs, workers, worker_heartbeats, worker_sessions TO heartlog_reader;
        IF to_regclass('worker_row_refusals') IS NOT NULL THEN   -- a store migrated only up to V12
            GRANT SELECT ON worker_row_refusals TO heartlog_reader;
        END IF;
        -- The records' id sequence: where following starts (issued-log-id.sql).
        EXECUTE format('GRANT SELECT ON SEQUENCE %s TO heartlog_reader',
                       pg_get_serial_sequence('system_logs', 'id'));
    END IF;
END;
$$;

-- Makes a login a writer: a member of heartlog_writer that may write only as the workers whose
-- id starts with worker_prefix ('' for any); with token_required (V11), a role PostgREST switches
-- to that writes only with a token from `heartlog token`. Run again, it changes both.
DROP FUNCTION IF EXISTS heartlog_grant_writer(name, text);   -- before token_required
CREATE OR REPLACE FUNCTION heartlog_grant_writer(login name, worker_prefix text, token_required boolean DEFAULT false)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    problem text := heartlog_roles_problem();
BEGIN
    IF problem IS NOT NULL THEN
        RAISE EXCEPTION 'heartlog: % is not made a writer: %', login, problem
              USING ERRCODE = 'insufficient_privilege';
    END IF;
    EXECUTE format('GRANT heartlog_writer TO %I', login);
    INSERT INTO heartlog_writers (role_name, worker_prefix, token_required) VALUES (login, worker_prefix, token_required)
    ON CONFLICT (role_name) DO UPDATE SET worker_prefix = excluded.worker_prefix, token_required = excluded.token_required;
    PERFORM heartlog_grant_roles();   -- the first writer: the ingest function runs as its owner
END;
$$;

-- Makes a login a reader.
CREATE OR REPLACE FUNCTION heartlog_grant_reader(login name)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    EXECUTE format('GRANT heartlog_reader TO %I', login);
END;
$$;

-- Takes both roles from a login, and its prefix; the login itself stays.
CREATE OR REPLACE FUNCTION heartlog_revoke(login name)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    EXECUTE format('REVOKE heartlog_writer, heartlog_reader FROM %I', login);
    DELETE FROM heartlog_writers WHERE role_name = login;
    PERFORM heartlog_grant_roles();   -- the last writer gone: back to the caller's rights
END;
$$;

-- Refuses every token for worker_prefix (its claim heartlog_workers, exactly) issued before now:
-- `heartlog revoke --tokens`. Returns that time. A token issued in the same second is refused
-- too: its iat counts whole seconds.
-- PL/pgSQL, whose statements are checked when they run: a store migrated only up to an earlier
-- version (a test of upgrades) has no such table.
CREATE OR REPLACE FUNCTION heartlog_revoke_tokens(prefix text)
RETURNS timestamptz
LANGUAGE plpgsql
AS $$
DECLARE
    cutoff timestamptz;
BEGIN
    INSERT INTO heartlog_revoked_tokens AS r (worker_prefix, issued_before)
    VALUES (prefix, now())
    ON CONFLICT (worker_prefix) DO UPDATE SET issued_before = excluded.issued_before
    RETURNING r.issued_before INTO cutoff;
    RETURN cutoff;
END;
$$;

-- Only the schema's owner (who runs migrate) changes who may do what.
REVOKE EXECUTE ON FUNCTION heartlog_grant_roles(), heartlog_grant_writer(name, text, boolean),
    heartlog_grant_reader(name), heartlog_revoke(name), heartlog_revoke_tokens(text) FROM PUBLIC;

SELECT heartlog_grant_roles();
