#!/usr/bin/env bash
# Whether `heartlog run` keeps the order of a worker's lines across its two streams
# (BENCHMARKS.md §7): a worker prints "out N" on stdout and, 10 ms later, "err N" on stderr, ten
# times; the records, in the order of their times, should alternate. Counts the records stamped
# before a line printed before them, over several runs, with the embedded store.
# Usage: heartlog-bench/run-stream-order.sh [runs=8]
set -euo pipefail
runs="${1:-8}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
child='for i in 1 2 3 4 5 6 7 8 9 10; do echo "out $i"; sleep 0.01; echo "err $i" >&2; sleep 0.01; done'

"$root/bin/heartlog" --version >/dev/null  # builds the command line once
total=0
for i in $(seq 1 "$runs"); do
  (cd "$work" && "$root/bin/heartlog" run --worker "order-$i" --home "$work/home" -- sh -c "$child" >/dev/null 2>&1)
  inversions=$("$root/bin/heartlog" logs --worker "order-$i" --home "$work/home" --since 1h --json | python3 -c '
import json, sys
from datetime import datetime
records = [json.loads(line) for line in sys.stdin if line.strip()]
lines = [r for r in records if r["message"].split(" ")[0] in ("out", "err")]
lines.sort(key=lambda r: (datetime.fromisoformat(r["timestamp"].replace("Z", "+00:00")), r["seq"]))
order = [int(r["message"].split(" ")[1]) * 2 - (r["message"].startswith("out")) for r in lines]
print(sum(1 for a, b in zip(order, order[1:]) if b < a))')
  echo "run $i: $inversions records stamped before a line printed before them"
  total=$((total + inversions))
done
echo "total: $total over $runs runs"
