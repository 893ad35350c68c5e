#!/usr/bin/env bash
# How fast a worker wrapped by `heartlog run` can print (BENCHMARKS.md §7): the same burst of
# lines printed by the bare command (the baseline) and by it under `heartlog run` with the
# embedded store, timed by the child itself from its first line to its last.
# Usage: heartlog-bench/run-throughput.sh [lines=1000000] [runs=3]
# LINE='...' heartlog-bench/run-throughput.sh prints that line instead of the seed-format one;
# STREAM=stderr prints it on stderr.
# The burst repeats one line, which heartlog run would count as a flood rather than record line by
# line: it runs with --keep-repeats, so that each line is a record, unless FLOOD=1 (the flood's path).
set -euo pipefail
lines="${1:-1000000}"
runs="${2:-3}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
repeats="--keep-repeats"
if [ "${FLOOD:-0}" = 1 ]; then repeats=""; fi
line="${LINE:-[12:00:00] INFO worker [Task t-1] rendered frame 42 of 100 in 17 ms}"
# STREAM=stderr prints the lines on stderr, where heartlog run reads a line with more readers.
redirect=""
if [ "${STREAM:-stdout}" = stderr ]; then redirect=">&2"; fi
child="date +child-start-%s.%N >&2; yes '$line' | head -n $lines $redirect; date +child-end-%s.%N >&2"

rate() {  # the child's own start and end lines, in the stderr file $1
  python3 - "$1" "$lines" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
start = float(re.search(r'child-start-([0-9.]+)', text).group(1))
end = float(re.search(r'child-end-([0-9.]+)', text).group(1))
print("%.2f s, %.0f lines/s" % (end - start, int(sys.argv[2]) / (end - start)))
PY
}

"$root/bin/heartlog" --version >/dev/null  # builds the command line once, outside the timing
for i in $(seq 1 "$runs"); do
  sh -c "$child" >/dev/null 2>"$work/bare.err"
  echo "run $i bare:          $(rate "$work/bare.err")"
  (cd "$work" && "$root/bin/heartlog" run --worker "throughput-$i" --home "$work/home" $repeats \
      -- sh -c "$child" >/dev/null 2>"$work/wrapped.err")
  echo "run $i heartlog run:  $(rate "$work/wrapped.err")"
done
