-- Creates the coming days' partitions and drops those past retention; :retention_s NULL keeps
-- the store's own (heartlog_retention(): the database's heartlog.retention, else 48 hours).
WITH run AS MATERIALIZED (
    SELECT heartlog_maintain(make_interval(secs => :retention_s::bigint), :days_ahead) AS result
)
SELECT result::text AS result, (result ->> 'partitions_in_use')::integer AS partitions_in_use
FROM run
