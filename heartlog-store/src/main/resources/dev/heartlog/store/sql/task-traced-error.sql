-- A task's last ERROR or CRITICAL record with a stack trace, in the order of its timeline (read
-- backwards): what explains its failure where the failure has none (a worker's closing "Task
-- failed" after the logger.exception that said why; TaskTimeline#explainingError). Read for a
-- long task only, whose timeline left out the records between its ends. White space and
-- Python's "NoneType: None" are no stack trace (heartlog_has_stack_trace).
-- The task's errors are picked first (OFFSET 0 keeps them apart from the order): asked for in
-- the timeline's order, the planner walked the errors index back through every task's errors,
-- 30,004 of them in a store of 1.3 million records, for 113 ms where this takes 8 (BENCHMARKS.md
-- §3, "The error that explains a long task's failure").
SELECT
\ir record-columns.sql
FROM (
    SELECT *
    FROM system_logs
    WHERE task_id = :task
      AND level IN ('ERROR', 'CRITICAL')
      AND heartlog_has_stack_trace(metadata->>'exception')
    OFFSET 0
) errors
ORDER BY timestamp DESC, seq DESC NULLS LAST, id DESC
LIMIT 1
