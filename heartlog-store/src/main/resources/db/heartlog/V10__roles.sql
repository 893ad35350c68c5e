-- Database roles (DESIGN.md, "Roles"). Workers that call the store over JDBC hold its
-- credentials; until now whatever user they had could also read, change or delete every record.
--
--   heartlog_writer  may call the ingest function and nothing else: the function runs as its
--                    owner (SECURITY DEFINER, R__ingest.sql), so its members need no right on
--                    any table.
--   heartlog_reader  may read what the command line, the JSON API and the viewer read.
--
-- Both are group roles without login; `heartlog grant writer|reader NAME` makes a login a member.
-- A worker writes only as itself: a login listed in heartlog_writers may send heartbeats only for
-- worker ids that start with its prefix (checked by the ingest function, by session_user, which
-- a session cannot change).
SET LOCAL client_min_messages = warning;

CREATE TABLE heartlog_writers (
    role_name     name PRIMARY KEY,
    worker_prefix text NOT NULL     -- '' for any worker
);

-- Roles belong to the server, not to a database: another database of the same server may have
-- made them already, or be making them now. A user that may not create roles (a managed
-- database's limited owner) migrates all the same; it is told, and the roles are left out.
DO $$
DECLARE
    group_role text;
BEGIN
    FOREACH group_role IN ARRAY ARRAY['heartlog_writer', 'heartlog_reader'] LOOP
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = group_role) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', group_role);
            EXCEPTION
                WHEN duplicate_object OR unique_violation THEN
                    NULL;
                WHEN insufficient_privilege THEN
                    RAISE WARNING 'heartlog: role % not created (this user may not create roles); '
                                  'a user that may can create it, then heartlog migrate grants it', group_role;
            END;
        END IF;
    END LOOP;
END;
$$;

-- What each role may do is granted by heartlog_grant_roles() (R__roles.sql), at every migrate.
