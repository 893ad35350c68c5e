#!/usr/bin/env bash
# How long heartbeats wait while maintenance runs beside a long read of system_logs (BENCHMARKS.md
# §3, "Maintenance beside a long read"). A transaction reads system_logs and holds its locks for
# 8 s; half a second in, heartlog_maintain() must drop an expired day's partition; from a second
# in, heartbeats carrying one record each are sent every 0.1 s, 50 of them, each by its own psql.
# Prints maintenance's answer and the heartbeats' median and maximum times (psql's start
# included), then drops the partition if it is still there.
#
# Usage: PGHOST=localhost PGUSER=postgres PGPASSWORD=... heartlog-bench/maintenance-locks.sh DATABASE
# DATABASE: one `heartlog migrate` has set up; a scratch one, since this drops a partition in it.
set -euo pipefail
export PGOPTIONS="-c client_min_messages=warning"
db="${1:?the database to run in}"
sql() { psql -qXAt -v ON_ERROR_STOP=1 -d "$db" "$@"; }

day="$(date -u -d '5 days ago' +%Y-%m-%d)"
part="system_logs_p$(date -u -d "$day" +%Y%m%d)"
sql -c "CREATE TABLE IF NOT EXISTS $part PARTITION OF system_logs
        FOR VALUES FROM ('$day 00:00+00') TO ('$day 00:00+00'::timestamptz + interval '1 day')"
trap 'sql -c "DROP TABLE IF EXISTS $part" >/dev/null' EXIT

sql -c "BEGIN; SELECT count(*) FROM system_logs; SELECT pg_sleep(8); COMMIT;" >/dev/null &
sleep 0.5
sql -c "SELECT 'maintenance: ' || heartlog_maintain()::text" &
sleep 0.5
times=()
for _ in $(seq 1 50); do
  start=$(date +%s%N)
  sql -c "SELECT func_worker_heartbeat_with_logs(worker_id_param => 'maintenance-locks', logs_param =>
          '[{\"level\":\"INFO\",\"message\":\"m\",\"timestamp\":\"$(date -u +%FT%TZ)\"}]'::jsonb)" >/dev/null
  times+=($(( ($(date +%s%N) - start) / 1000000 )))
  sleep 0.1
done
wait
printf '%s\n' "${times[@]}" | sort -n | awk '{t[NR] = $1} END {printf "heartbeats: %d, median %d ms, max %d ms\n", NR, t[int((NR + 1) / 2)], t[NR]}'
