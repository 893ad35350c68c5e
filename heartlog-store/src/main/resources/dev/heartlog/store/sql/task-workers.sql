-- What a task's records add up to: for each worker that logged for it and each level, how many
-- records and when the first and last were made (TaskCounts sums them into the workers' shares
-- and the task's levels), and for ERROR and CRITICAL how many errors they are, a flood's count as
-- the errors it stands for (R__repeat_count.sql). Reads every record of the task, by its index.
SELECT source_id,
       level,
       min(timestamp) AS first_at,
       max(timestamp) AS last_at,
       count(*)       AS records,
       sum(coalesce(heartlog_repeat_count(message, metadata), 1))
           FILTER (WHERE level IN ('ERROR', 'CRITICAL'))::bigint  AS errors
FROM system_logs
WHERE task_id = :task
GROUP BY source_id, level
