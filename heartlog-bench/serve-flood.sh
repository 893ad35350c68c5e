#!/usr/bin/env bash
# Many heartbeats at once to heartlog serve while its database is stopped, in two waves: how long
# each waits and what it gets, and whether /healthz (which does not touch the database) still answers.
# Debian's PostgreSQL 15 (pg_ctlcluster, run as root). Results: BENCHMARKS.md, "serve during an outage".
# Usage: heartlog-bench/serve-flood.sh [heartbeats=300] [heartlog.jar] [jdbc-url of a migrated database]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
count="${1:-300}"
jar="${2:-$root/heartlog-cli/target/heartlog.jar}"
url="${3:-jdbc:postgresql://localhost:5432/postgres?user=postgres&password=heartlog}"
jar="$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")"   # the script works in a folder of its own
work="$(mktemp -d)"
trap 'kill "$serve" 2>/dev/null; pg_ctlcluster 15 main start >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
cd "$work"
java -jar "$jar" serve --db-url "$url" --port 7395 >serve.out 2>serve.err &
serve=$!
sleep 8
key="$(grep -o 'hlw_[A-Za-z0-9_-]*' serve.out | head -1 || true)"
[ -n "$key" ] || { echo "serve did not start:" >&2; cat serve.err >&2; exit 1; }
health() { curl -s -o /dev/null -m 5 -w '%{http_code} %{time_total}' localhost:7395/healthz || true; }
echo "healthz before: $(health)"
pg_ctlcluster 15 main stop
body='{"worker_id_param":"flood","logs_param":[{"timestamp":"2026-12-02T07:00:00Z","level":"INFO","message":"x"}]}'
mkdir bodies
# Two waves of $count heartbeats: at once after the stop, and 15 s later, once serve knows the database is down.
flood() {  # first and last request number; each writes "wave number status seconds" to codes.txt
  seq "$1" "$2" | xargs -P "$count" -I{} curl -s -m 45 -o bodies/{} -w "$3 {} %{http_code} %{time_total}\n" -X POST \
    -H "apikey: $key" -H "Authorization: Bearer $key" -H "Content-Type: application/json" -d "$body" \
    localhost:7395/rest/v1/rpc/func_worker_heartbeat_with_logs >>codes.txt
}
flood 1 "$count" first &
first=$!
(sleep 15; flood $((count + 1)) $((count * 2)) second) &
second=$!
for i in $(seq 1 12); do sleep 3; echo "healthz at +$((i * 3)) s: $(health)"; done
pg_ctlcluster 15 main start
wait "$first" "$second" || true
# Its body (PostgREST's error, with its "code") is in bodies/<number>.
while read -r wave n status seconds; do
  code="$(grep -o '"code":"[^"]*"' "bodies/$n" 2>/dev/null | head -1 | cut -d'"' -f4 || true)"
  echo "$wave $status ${code:--} $seconds"
done <codes.txt | sort | awk '{ key = $1 " wave: " $2 " " $3; n[key]++; sum[key] += $4; if ($4 > max[key]) max[key] = $4 }
     END { for (key in n) printf "%s: %d, mean %.1f s, max %.1f s\n", key, n[key], sum[key] / n[key], max[key] }' | sort
echo "serve's stderr:"
cat serve.err

