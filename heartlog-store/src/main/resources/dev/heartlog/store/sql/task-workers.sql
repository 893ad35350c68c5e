-- What a task's records add up to: for each worker that logged for it and each level, how many
-- records and when the first and last were made (TaskCounts sums them into the workers' shares
-- and the task's levels). Reads every record of the task, by its index.
SELECT source_id,
       level,
       min(timestamp) AS first_at,
       max(timestamp) AS last_at,
       count(*)       AS records
FROM system_logs
WHERE task_id = :task
GROUP BY source_id, level
