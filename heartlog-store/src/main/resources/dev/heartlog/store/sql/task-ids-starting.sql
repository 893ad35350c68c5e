-- The ids of the tasks with records that start with a prefix, in order, the first :limit: what
-- `heartlog task` makes of an id given in part (the viewer shows 13 characters of a UUID). The
-- ids that start with the prefix are those in [:from, :below) in code-point order, which is
-- task_id's (collation "C"). Each step reads the next id from system_logs_task, one index entry
-- per day's partition (a loose index scan): a task of a million records costs no more than one
-- of one.
WITH RECURSIVE ids(task_id) AS (
  (SELECT task_id
   FROM system_logs
   WHERE task_id >= :from AND task_id < :below
   ORDER BY task_id
   LIMIT 1)
  UNION ALL
  SELECT (SELECT later.task_id
          FROM system_logs later
          WHERE later.task_id > ids.task_id AND later.task_id < :below
          ORDER BY later.task_id
          LIMIT 1)
  FROM ids
  WHERE ids.task_id IS NOT NULL
)
SELECT task_id
FROM ids
WHERE task_id IS NOT NULL
LIMIT :limit
