#!/usr/bin/env bash
# Whether `heartlog run` files a worker's failures under the right task when the worker prints
# its tasks' starts and ends on stdout and logs their failures on stderr (BENCHMARKS.md §7, "A
# failure on stderr and the next task on stdout"): a Python worker runs 20 tasks, each 50 ms, and
# logs each task's failure (an exception with its traceback, or a plain error line) on stderr
# just before it prints the task's end and the next task's start on stdout, gap_ms later (a
# worker that reports the failure to its queue and claims the next job takes a few ms). Counts
# the failures stored under another task than the one they name, over several runs, with the
# embedded store.
# Usage: heartlog-bench/run-task-order.sh [runs=5] [gap_ms=0]
# HEARTLOG='java -jar other/heartlog.jar' runs another build (default: bin/heartlog).
set -euo pipefail
runs="${1:-5}"
gap_ms="${2:-0}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
heartlog="${HEARTLOG:-$root/bin/heartlog}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/worker.py" <<'PY'
import logging, sys, time, uuid
gap = float(sys.argv[1]) / 1000
logging.basicConfig(format="%(levelname)s %(name)s: %(message)s")   # on stderr
log = logging.getLogger("renderer")
for n in range(20):
    task = str(uuid.uuid4())
    print(f"[{time.strftime('%H:%M:%S')}] INFO WORKER [Task {task}] Claimed task", flush=True)
    time.sleep(0.05)
    if n % 2 == 0:
        try:
            1 / 0
        except ZeroDivisionError:
            log.exception("render failed for %s", task)
    else:
        log.error("plain failure for %s", task)
    if gap:
        time.sleep(gap)
    print(f"[{time.strftime('%H:%M:%S')}] INFO WORKER [Task {task}] Task done", flush=True)
PY

$heartlog --version >/dev/null  # builds the command line once
total=0
for i in $(seq 1 "$runs"); do
  (cd "$work" && $heartlog run --interval 1s --worker "tasks-$i" --home "$work/home" -- python3 worker.py "$gap_ms" >/dev/null 2>&1)
  wrong=$($heartlog logs --worker "tasks-$i" --home "$work/home" --level ERROR --json --limit 1000 | python3 -c '
import json, re, sys
wrong = 0
for line in sys.stdin:
    record = json.loads(line)
    named = re.search(r"for ([0-9a-f-]{36})", record["message"])
    if named and named.group(1) != record.get("task_id"):
        wrong += 1
print(wrong)')
  echo "run $i: $wrong of 20 failures under another task"
  total=$((total + wrong))
done
echo "total: $total of $((runs * 20)) over $runs runs"
