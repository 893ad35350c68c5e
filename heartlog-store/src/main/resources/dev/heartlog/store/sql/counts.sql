-- Totals for summaries: workers, distinct tasks and records stored.
SELECT (SELECT count(*) FROM workers)                                              AS workers,
       (SELECT count(DISTINCT task_id) FROM system_logs WHERE task_id IS NOT NULL) AS tasks,
       (SELECT count(*) FROM system_logs)                                          AS records
