-- What the roles of V10 may do, and the functions `heartlog grant` and `heartlog revoke` call.
SET LOCAL client_min_messages = warning;

-- Grants each role of V10 that exists what it needs; run at the end of this file and by every
-- `heartlog migrate`, so a role created after the schema gets its rights from the next migrate.
--
-- The ingest function runs as its owner, so not everyone may call it any more. Whoever may insert
-- records may call it (so a worker's existing database user keeps working after an upgrade: on
-- Supabase the API's roles, elsewhere whatever user was given the tables), and heartlog_writer.
CREATE OR REPLACE FUNCTION heartlog_grant_roles()
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    ingest constant text :=
        'func_worker_heartbeat_with_logs(text, integer, integer, jsonb, text, text, text, bigint, jsonb)';
    inserter name;
BEGIN
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

    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'heartlog_writer') THEN
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO heartlog_writer', ingest);
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'heartlog_reader') THEN
        GRANT SELECT ON system_logs, workers, worker_heartbeats, worker_sessions TO heartlog_reader;
        -- The records' id sequence: where following starts (issued-log-id.sql).
        EXECUTE format('GRANT SELECT ON SEQUENCE %s TO heartlog_reader',
                       pg_get_serial_sequence('system_logs', 'id'));
    END IF;
END;
$$;

-- Makes a login a writer: a member of heartlog_writer that may write only as the workers whose
-- id starts with worker_prefix ('' for any). Run again, it changes the prefix.
CREATE OR REPLACE FUNCTION heartlog_grant_writer(login name, worker_prefix text)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    EXECUTE format('GRANT heartlog_writer TO %I', login);
    INSERT INTO heartlog_writers (role_name, worker_prefix) VALUES (login, worker_prefix)
    ON CONFLICT (role_name) DO UPDATE SET worker_prefix = excluded.worker_prefix;
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
END;
$$;

-- Only the schema's owner (who runs migrate) changes who may do what.
REVOKE EXECUTE ON FUNCTION heartlog_grant_roles(), heartlog_grant_writer(name, text),
    heartlog_grant_reader(name), heartlog_revoke(name) FROM PUBLIC;

SELECT heartlog_grant_roles();
