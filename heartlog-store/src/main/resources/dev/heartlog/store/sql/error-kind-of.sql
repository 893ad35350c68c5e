-- The id of one error's kind (:id, made at :since by :worker, :until a microsecond later), as
-- error-kinds.sql gives it: range-errors.sql over that microsecond, so that a task's failure
-- links to the same kind the list of kinds shows it in (a flood's count record too, of the kind
-- of the records it repeats). No row where the record is no error or is gone.
\ir range-errors.sql
SELECT i.kind_id
FROM errors e
JOIN kind_ids i ON i.kind = e.kind
WHERE e.id = :id
