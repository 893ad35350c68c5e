-- Three tasks of 100,000 records each, 20 records a second for 83 minutes, each ending in a
-- closing "Task failed" without a stack trace, among 1,000,000 records of 5,000 other tasks
-- (200 each, one in 50 an ERROR): what a long task's page reads for the error that explains its
-- failure (task-traced-error.sql; BENCHMARKS.md §3, "The error that explains a long task's
-- failure"). long-traced: the error with a stack trace half way, at record 50,000; long-untraced:
-- none; long-errors: every tenth record an ERROR without one, the one with it at record 1,000.
-- Run with FillInQueryLoad, which makes the database; a second run fills it anew.
TRUNCATE system_logs;
INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id, seq, metadata)
SELECT now() - interval '3 hours' + g * interval '50 milliseconds',
       CASE WHEN g = 99999
                 OR g = 50000 AND t = 'long-traced'
                 OR g % 10 = 0 AND t = 'long-errors' THEN 'ERROR'
            ELSE 'INFO' END,
       CASE WHEN g = 99999 THEN 'Task failed' ELSE 'frame ' || g || ' rendered in 412 ms' END,
       'worker', 'gpu-' || t, t, g,
       CASE WHEN g = 50000 AND t = 'long-traced' OR g = 1000 AND t = 'long-errors'
            THEN jsonb_build_object('logger', 'render', 'exception', 'Traceback (most recent call last):'
                 || repeat(E'\n  File "/app/render.py", line 120, in render', 12) || E'\nKeyError: 12')
            ELSE jsonb_build_object('logger', 'render', 'frame', g) END
FROM unnest(ARRAY['long-traced', 'long-untraced', 'long-errors']) t, generate_series(0, 99999) g;
INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id, seq, metadata)
SELECT now() - interval '3 hours' + g * interval '10 milliseconds',
       CASE WHEN g % 50 = 0 THEN 'ERROR' ELSE 'INFO' END,
       'step ' || g, 'worker', 'gpu-' || (g % 1000), 'task-' || (g % 5000), g,
       jsonb_build_object('logger', 'render')
FROM generate_series(0, 999999) g;
ANALYZE system_logs;
