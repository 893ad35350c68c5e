-- The seed's fallback heartbeat (PATCH /rest/v1/workers?id=eq.<id>): fields a client left out
-- (NULL) keep their value. Its time is read as a record's (heartlog_record_time: without an
-- offset, UTC); one that cannot be read is the time it arrived.
-- Answers the updated row as PostgREST represents it (Prefer: return=representation), which
-- clients such as supabase-py ask for by default: the seed's heartbeat columns, or only those of
-- them :columns names (PostgREST's select=), in that order. Not an orchestrator's other columns
-- of the table: the caller holds a writer key, which a whole fleet may share, not a reader's.
-- The status, the task and the time are read by their columns' own types, as PostgREST reads a
-- PATCH: an orchestrator's enum status, a uuid task id (R__ingest.sql), a `timestamp` without a
-- zone, which takes the time in UTC, as heartbeats write it, whatever zone the session is in
-- (R__worker_health.sql): written as text with its offset, which such a column ignores. A status
-- keeps its first 200 characters, as a heartbeat's does (R__ingest.sql): one of 1,000 was kept
-- whole here.
WITH updated AS (
    UPDATE workers AS w
    SET (last_heartbeat, status, current_task_id) =
            (SELECT given.last_heartbeat,
                    coalesce(given.status, w.status),
                    CASE WHEN :set_task::boolean THEN given.current_task_id ELSE w.current_task_id END
             FROM jsonb_populate_record(NULL::workers, jsonb_build_object(
                      'last_heartbeat', to_char(coalesce(heartlog_record_time(to_jsonb(:last_heartbeat::text)), now())
                                                    AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00',
                      'status', left(:status::text, 200), 'current_task_id', :current_task_id::text)) AS given),
        vram_total_mb   = coalesce(:vram_total_mb::integer, vram_total_mb),
        vram_used_mb    = coalesce(:vram_used_mb::integer, vram_used_mb)
    WHERE id = :worker_id::text
    RETURNING id, status, last_heartbeat, vram_total_mb, vram_used_mb, current_task_id
)
-- The columns named are joined as text: json_object_agg would keep their order but write spaces
-- PostgREST's rows do not have.
SELECT CASE WHEN :columns::text[] IS NULL THEN to_json(u)::text
            ELSE '{' || coalesce((SELECT string_agg(to_json(c.name)::text || ':' || (to_json(u) -> c.name)::text, ','
                                                     ORDER BY c.position)
                                  FROM unnest(:columns::text[]) WITH ORDINALITY AS c (name, position)
                                  WHERE to_jsonb(u) -> c.name IS NOT NULL), '') || '}'
       END AS representation
FROM updated AS u
