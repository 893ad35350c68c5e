#!/usr/bin/env bash
# What heartlog serve prints on stderr while its database is away: serve on Debian's PostgreSQL
# 15 (pg_ctlcluster, run as root), three reads, the database stopped for about 80 s while reads
# keep coming, started again; then serve's stderr, counted and shown. README, "What an outage
# prints": 110 lines before 9a393e3, 3 after it, 5 once the requests were answered at once (StoreGuard).
# Usage: heartlog-bench/serve-outage.sh [heartlog.jar] [jdbc-url of a migrated database]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${1:-$root/heartlog-cli/target/heartlog.jar}"
url="${2:-jdbc:postgresql://localhost:5432/postgres?user=postgres&password=heartlog}"
jar="$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")"   # the script works in a folder of its own
work="$(mktemp -d)"
trap 'kill "$serve" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"
java -jar "$jar" serve --db-url "$url" --port 7391 >serve.out 2>serve.err &
serve=$!
sleep 8
key="$(grep -o 'hlr_[A-Za-z0-9_-]*' serve.out | head -1 || true)"
[ -n "$key" ] || { echo "serve did not start:" >&2; cat serve.err >&2; exit 1; }
read_workers() { curl -s -o /dev/null -m "$1" -w "%{http_code} " -H "Authorization: Bearer $key" localhost:7391/api/workers || true; }
for _ in 1 2 3; do read_workers 10; done; echo
pg_ctlcluster 15 main stop
for _ in 1 2 3 4 5 6; do read_workers 5; sleep 5; done; echo
sleep 24
pg_ctlcluster 15 main start
sleep 12
for _ in 1 2 3; do read_workers 10; done; echo
echo "stderr lines: $(wc -l <serve.err)"
cut -c1-200 serve.err
