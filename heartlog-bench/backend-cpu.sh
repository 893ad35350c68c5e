#!/usr/bin/env bash
# The CPU time one server backend spends per ingest call (BENCHMARKS.md, "Part 2 by CPU time per
# call"). Rows per second swing ±10-15% between rounds on these machines; the CPU time of the one
# backend that runs the calls swings about ±5%, and unlike an instruction count it includes what
# a call costs in cache misses, page faults and system calls.
#
# Each database named must hold what IngestLoad's pgbench client builds: heartlog's schema (or
# another function with its signature), the workers, the pool table bench_batches and the
# sequence bench_batch_seq. IngestPool builds that into an empty database, to be copied with
# CREATE DATABASE ... TEMPLATE for each variant and round:
#   java -cp heartlog-bench/target/benchmarks.jar dev.heartlog.bench.IngestPool \
#     'jdbc:postgresql://localhost:5432/ingest_pool?user=postgres'
# One pgbench client sends one batch per transaction, exactly as IngestLoad's pgbench client
# does, and the backend's user and system time are read from /proc/<pid>/stat just before it
# exits, so the server must run on this machine.
#
# Usage: PGHOST=localhost PGPORT=5432 PGUSER=postgres heartlog-bench/backend-cpu.sh \
#          <rounds> <calls> <database>...
# PGBENCH_PROTOCOL=extended sends each call as an unnamed statement, parsed and planned every
# time, as a client behind a transaction-mode pooler must (default: prepared, parsed once).
# A '#' in a database name is replaced by the round's number, so that each round can use a fresh
# copy (a table that has grown past shared_buffers costs every call more). The databases take
# turns within each round, each after a CHECKPOINT, and each round starts with the next one: the
# first of a round measured up to 3% dearer than in other places.
set -euo pipefail
rounds="$1"
calls="$2"
shift 2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
pool=$(psql -qXAt -d "${1/\#/1}" -c "SELECT count(*) FROM bench_batches")
cat > "$work/call.sql" <<SQL
\\set i random(1, $pool)
SELECT func_worker_heartbeat_with_logs(worker_id_param => b.worker, vram_total_mb_param => 81559, vram_used_mb_param => 40000, logs_param => b.logs::jsonb, current_task_id_param => b.task, session_id_param => 'pgbench-' || :client_id, batch_seq_param => nextval('bench_batch_seq'), metadata_param => ('{"sent_at_ms":' || floor(extract(epoch FROM clock_timestamp()) * 1000) || ',' || substr(b.metadata, 2))::jsonb) FROM bench_batches b WHERE b.id = :i;
SQL

echo "round database calls/s cpu_us_per_call user_us sys_us"
names=("$@")
for round in $(seq 1 "$rounds"); do
  for turn in $(seq 0 $((${#names[@]} - 1))); do
    name="${names[$(( (round - 1 + turn) % ${#names[@]} ))]}"
    db="${name/\#/$round}"
    psql -qXAt -d "$db" -c "CHECKPOINT"
    pgbench -n -M "${PGBENCH_PROTOCOL:-prepared}" -c 1 -t "$calls" -f "$work/call.sql" "$db" > "$work/pgbench.out" 2>&1 &
    client=$!
    backend=
    while [ -z "$backend" ]; do
      # The client's connection, by its query: pgbench first opens a connection of its own and
      # closes it again.
      backend=$(psql -qXAt -d "$db" -c "SELECT pid FROM pg_stat_activity
                                          WHERE application_name = 'pgbench' AND datname = current_database()
                                            AND query LIKE 'SELECT func_worker_heartbeat_with_logs%'
                                          LIMIT 1")
      if [ -n "$backend" ] && [ ! -e "/proc/$backend/stat" ]; then backend=; fi
      sleep 0.02
    done
    # Fields 14 and 15 of /proc/<pid>/stat: user and system time in clock ticks. The last
    # reading before the backend exits misses at most the final 50 ms.
    last=
    while stat=$(cat "/proc/$backend/stat" 2>/dev/null); do last="$stat"; sleep 0.05; done
    wait "$client" || { cat "$work/pgbench.out"; exit 1; }
    if [ -z "$last" ]; then
      echo "$round $db - - - - (not measured: backend $backend was gone before it was read)"
      continue
    fi
    read -r -a fields <<< "${last##*) }"   # after the command name, which may hold spaces
    user=${fields[11]}
    system=${fields[12]}
    tick_us=$((1000000 / $(getconf CLK_TCK)))
    tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$work/pgbench.out")
    echo "$round $db $tps $(( (user + system) * tick_us / calls )) $(( user * tick_us / calls )) $(( system * tick_us / calls ))"
  done
done
