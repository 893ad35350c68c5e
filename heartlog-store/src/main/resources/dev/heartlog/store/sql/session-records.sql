-- Records stored from the given agent sessions.
SELECT count(*) AS records FROM system_logs WHERE session_id = ANY (:sessions::text[])
