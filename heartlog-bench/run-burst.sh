#!/usr/bin/env bash
# A burst of lines from a wrapped worker, faster than the store takes them (BENCHMARKS.md §7,
# "A burst faster than the store"): how many lines are stored, and how many are dropped and
# reported. The child (Python) prints 3 s of lines at 10,000 a second, as a worker that has run
# a while, then BURST lines as fast as it can, every line naming one task; it runs under
# `heartlog run` with the embedded store. The counts come from the store.
# Usage: heartlog-bench/run-burst.sh [burst=50000] [runs=3] [baseline.jar] [warm-seconds=3]
# With a baseline jar (another build's heartlog-cli/target/heartlog.jar) the builds take turns.
set -euo pipefail
burst="${1:-50000}"
runs="${2:-3}"
baseline="${3:-}"
warm="${4:-3}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cat >"$work/worker.py" <<'PY'
import sys, time
burst, warm = int(sys.argv[1]), int(sys.argv[2])
task = "[12:00:00] INFO GENERATOR [Task 11111111-2222-3333-4444-555555555555]"
for second in range(warm * 10):
    for i in range(1000):
        print(f"{task} warming up {second}.{i}, loss=0.{i % 97}")
    sys.stdout.flush()
    time.sleep(0.1)
for i in range(burst):
    print(f"{task} frame {i} rendered in 0.41 s, loss=0.{i % 97}")
PY

"$root/bin/heartlog" --version >/dev/null  # builds the command line once, outside the runs
current="$root/heartlog-cli/target/heartlog.jar"
printed=$((warm * 10000 + burst))

one_run() {  # $1: label, $2: jar
  rm -rf "$work/home"
  (cd "$work" && java -jar "$2" run --worker burst --home "$work/home" \
      -- python3 "$work/worker.py" "$burst" "$warm" >/dev/null 2>"$work/run.err")
  stored=$(java -jar "$2" tasks --home "$work/home" --json \
      | python3 -c 'import json, sys; print(sum(t["records"] for t in json.load(sys.stdin)))')
  dropped=$(java -jar "$2" logs --home "$work/home" --grep 'heartlog dropped' --limit 10000 --json \
      | python3 -c 'import json, sys; print(sum(json.loads(l)["metadata"]["heartlog_dropped"] for l in sys.stdin if l.strip()))')
  echo "$1: printed $printed, stored $stored, dropped and reported $dropped, unaccounted $((printed - stored - dropped))"
}

for i in $(seq 1 "$runs"); do
  if [ -n "$baseline" ]; then
    one_run "run $i baseline" "$baseline"
  fi
  one_run "run $i current " "$current"
done
