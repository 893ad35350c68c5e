-- Creates the coming days' partitions and drops those past retention.
SELECT heartlog_maintain(make_interval(secs => :retention_s), :days_ahead)::text AS result
