#!/usr/bin/env bash
# What finding a task by the start of its id reads (BENCHMARKS.md §3, "A task id given in part").
# Stores a task of a million records and one of one record, then runs task-ids-starting.sql (the
# query `heartlog task 84a151ad` makes) for a start of each id, three times, and, as the baseline,
# a plain SELECT DISTINCT ... LIMIT, which reads every record of the tasks it finds, once. Prints each one's shared
# buffers and execution time from EXPLAIN (ANALYZE, BUFFERS), then deletes what it stored.
#
# Usage: PGHOST=localhost PGUSER=postgres PGPASSWORD=... heartlog-bench/task-id-prefix.sh DATABASE
# DATABASE: one `heartlog migrate` has set up; a scratch one.
set -euo pipefail
export PGOPTIONS="-c client_min_messages=warning"
db="${1:?the database to run in}"
sql() { psql -qXAt -v ON_ERROR_STOP=1 -d "$db" "$@"; }
here="$(cd "$(dirname "$0")" && pwd)"
query="$(sed -e '/^--/d' "$here/../heartlog-store/src/main/resources/dev/heartlog/store/sql/task-ids-starting.sql")"

trap 'sql -c "DELETE FROM system_logs WHERE task_id IN ('"'"'prefix-bench-long'"'"', '"'"'prefix-bench-one'"'"')"' EXIT
sql -c "INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id, seq)
        SELECT now() - g * interval '1 ms', 'INFO', 'step ' || g, 'worker', 'prefix-bench', 'prefix-bench-long', g
        FROM generate_series(1, 1000000) g;
        INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id)
        VALUES (now(), 'INFO', 'one step', 'worker', 'prefix-bench', 'prefix-bench-one');
        ANALYZE system_logs;"

explain() {   # what the statement read (its plan's top line of buffers) and how long it ran
  sql -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY ON) $1" \
    | grep -E '^ *(Buffers|Execution)' | sed -n '1p;$p' | tr -s ' ' | tr '\n' ' '
  echo
}
for round in 1 2 3; do
  for start in prefix-bench-l prefix-bench-o; do
    below="${start%?}$(printf "\\$(printf '%03o' $(( $(printf '%d' "'${start: -1}") + 1 )))")"
    echo -n "round $round, $start: "
    explain "$(echo "$query" | sed -e "s/:from/'$start'/; s/:below/'$below'/g; s/:limit/11/")"
  done
done
echo -n "baseline, SELECT DISTINCT task_id ... LIMIT 11, prefix-bench-l: "
explain "SELECT DISTINCT task_id FROM system_logs WHERE task_id >= 'prefix-bench-l' AND task_id < 'prefix-bench-m' LIMIT 11"
