-- The errors of each of the kinds :kinds (their ids, as error-kinds.sql gives them) made in
-- [:since, :until), of :worker where one is given: how many each is, as the list counts them (a
-- flood's count as the errors it stands for). A kind the range does not hold has no row. For the
-- list of kinds compared with the range before it (Store.errorsBefore).
\ir range-errors.sql
SELECT i.kind_id, sum(e.occurrences)::bigint AS errors
FROM errors e
JOIN kind_ids i ON i.kind = e.kind
WHERE i.kind_id = ANY (:kinds::text[])
GROUP BY i.kind_id
