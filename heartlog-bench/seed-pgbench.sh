#!/usr/bin/env bash
# The issue's absolute ingest figures, measured its own way on this machine (BENCHMARKS.md §2,
# "The issue's figures on this machine"): pgbench calling the seed's function (the seed's schema,
# heartlog-store/src/test/resources/seed-schema.sql) with batches of 100 records, on a server as
# installed, and a single-stream COPY into the seed's table. No heartlog code is involved.
#
# Two record sizes: "realistic" (~270 bytes: a 60-character message, a task id, metadata with
# module, funcName and lineno, as the seed's Python logging handler sends) and "small" (~130
# bytes: a short message, no task, empty metadata, as its custom logging functions send).
#
# Usage: PGHOST=localhost PGUSER=postgres PGPASSWORD=... heartlog-bench/seed-pgbench.sh \
#          [clients=4,16] [seconds=15] [rounds=2]
# It creates and finally drops the database heartlog_seed_pgbench. COPY goes through psql's \copy
# (COPY ... FROM STDIN), as a client would send it.
set -euo pipefail
clients="${1:-4,16}"
seconds="${2:-15}"
rounds="${3:-2}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
db=heartlog_seed_pgbench
work="$(mktemp -d)"
trap 'rm -rf "$work"; psql -qX -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT

sql() { psql -qXAt -v ON_ERROR_STOP=1 -d "$db" "$@"; }

PGOPTIONS="-c client_min_messages=warning" psql -qX -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
sql -f "$root/heartlog-store/src/test/resources/seed-schema.sql"
# 1,000 workers that exist (the seed's function updates its worker's row) and a pool of 1,000
# batches of each size, timestamps 7 ms apart.
sql <<'SQL'
INSERT INTO workers (id, status) SELECT 'gpu-' || g, 'active' FROM generate_series(1, 1000) g;
CREATE TABLE batches (id int PRIMARY KEY, realistic text, small text);
INSERT INTO batches
SELECT b,
  (SELECT json_agg(json_build_object(
     'timestamp', to_char((now() + (b * 100 + r) * interval '7 ms') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'),
     'level', CASE WHEN r % 20 = 0 THEN 'WARNING' ELSE 'INFO' END,
     'message', 'Rendered frame ' || r || ' of the task in ' || (r * 7 % 97) || ' ms, encoder queue ' || (r % 13),
     'task_id', md5(b::text)::uuid::text,
     'metadata', json_build_object('module', 'wgp', 'funcName', 'generate_video', 'lineno', 4000 + r)))::text
   FROM generate_series(1, 100) r),
  (SELECT json_agg(json_build_object(
     'timestamp', to_char((now() + (b * 100 + r) * interval '7 ms') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'),
     'level', 'INFO', 'message', 'frame ' || r, 'task_id', NULL, 'metadata', '{}'::json))::text
   FROM generate_series(1, 100) r)
FROM generate_series(1, 1000) b;
SQL
echo "server $(sql -c 'SHOW server_version'), shared_buffers $(sql -c 'SHOW shared_buffers'), synchronous_commit $(sql -c 'SHOW synchronous_commit')"
echo "bytes per record: realistic $(sql -c 'SELECT avg(length(realistic)) / 100 FROM batches' | cut -d. -f1), small $(sql -c 'SELECT avg(length(small)) / 100 FROM batches' | cut -d. -f1)"

for size in realistic small; do
  cat >"$work/$size.pgbench" <<PGB
\set id random(1, 1000)
SELECT func_worker_heartbeat_with_logs('gpu-' || :id, 81559, 23017, (SELECT $size FROM batches WHERE id = :id)::jsonb, NULL);
PGB
  # The same rows as CSV, 100,000 of them, for COPY.
  sql -c "\\copy (SELECT (e->>'timestamp')::timestamptz, e->>'level', e->>'message', 'worker', 'gpu-' || b.id, e->>'task_id', e->'metadata' FROM batches b, jsonb_array_elements(b.$size::jsonb) e) TO '$work/$size.csv' (FORMAT csv)"
done

for round in $(seq 1 "$rounds"); do
  for size in realistic small; do
    for c in ${clients//,/ }; do
      sql -c 'TRUNCATE system_logs' -c 'CHECKPOINT'
      tps="$(pgbench -n -M prepared -c "$c" -j 2 -T "$seconds" -f "$work/$size.pgbench" "$db" 2>/dev/null \
        | sed -n 's/^tps = \([0-9.]*\) .*/\1/p')"
      printf 'round %d  %-9s seed function, %2d clients: %7.0f rows/s\n' "$round" "$size" "$c" "$(echo "$tps * 100" | bc)"
    done
    sql -c 'TRUNCATE system_logs' -c 'CHECKPOINT'
    started="$(date +%s.%N)"
    sql -c "\\copy system_logs (timestamp, level, message, source_type, source_id, task_id, metadata) FROM '$work/$size.csv' (FORMAT csv)"
    ended="$(date +%s.%N)"
    printf 'round %d  %-9s COPY, single stream:     %7.0f rows/s\n' "$round" "$size" "$(echo "100000 / ($ended - $started)" | bc -l)"
  done
done
