-- Creates the coming days' partitions and drops those past retention; :retention_s NULL keeps
-- the store's own (heartlog_retention(): the database's heartlog.retention, else 48 hours).
SELECT heartlog_maintain(make_interval(secs => :retention_s::bigint), :days_ahead)::text AS result
