#!/usr/bin/env bash
# Followers of serve's live tail that come back (after=<id>) while its database is down: how long
# each waits to be answered. serve on Debian's PostgreSQL 15 (pg_ctlcluster, run as root); the
# database is stopped, N event-stream followers (each of its own worker) come back at once, then N
# more once the outage is known; each follower's end is timed (curl, 120 s limit). BENCHMARKS.md §9.
# Usage: heartlog-bench/serve-tail-outage.sh [N] [heartlog.jar] [jdbc-url of a migrated database]
set -u
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-20}"
jar="${2:-$root/heartlog-cli/target/heartlog.jar}"
url="${3:-jdbc:postgresql://localhost:5432/postgres?user=postgres&password=heartlog}"
jar="$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")"   # the script works in a folder of its own
reader=hlr_serve_tail_outage_reader_key_0123456
work="$(mktemp -d)"
cd "$work"
HEARTLOG_READER_KEYS=$reader java -jar "$jar" serve --db-url "$url" --port 7392 --keys "$work/keys" >serve.out 2>serve.err &
serve=$!
trap 'kill "$serve" 2>/dev/null; pg_ctlcluster 15 main start 2>/dev/null; rm -rf "$work"' EXIT
sleep 8
curl -s -o /dev/null -w "before the stop: /api/workers %{http_code}\n" -H "apikey: $reader" localhost:7392/api/workers
# N followers coming back at once, each timed from $1 (a date +%s.%N) to its stream's end.
come_back() {
  rm -f ended
  for i in $(seq 1 "$n"); do
    ( curl -s -N -m 120 -H 'Accept: text/event-stream' -o /dev/null "localhost:7392/api/tail?worker=$2$i&after=1&apikey=$reader"
      echo "$(date +%s.%N) - $1" | bc >> ended ) &
  done
  wait $(jobs -p | grep -v "^$serve$") 2>/dev/null
  sort -n ended | awk '{printf "%.1f ", $1}'; echo
}
pg_ctlcluster 15 main stop
echo "first wave, as the database stopped (s after the stop):"
come_back "$(date +%s.%N)" w
echo "second wave, once the outage was known (s after they came):"
come_back "$(date +%s.%N)" v
