#!/usr/bin/env bash
# The CPU time `heartlog run` takes to read a burst of lines on stderr (BENCHMARKS.md §7), two
# builds in turns: each a clone of the repository whose bin/heartlog has built (or will build) its
# jar. The rate run-throughput.sh measures moves with the machine's other load; the user and
# system seconds of the same work move less. Prints the round, the clone, and wall, user and
# system seconds of the whole command (the embedded store's start and the writes included).
# Usage: heartlog-bench/run-cpu-time.sh CLONE_A CLONE_B [rounds=5] [lines=1000000]
# LINE='...' prints that line instead of the seed-format one.
set -euo pipefail
a="$(cd "$1" && pwd)"
b="$(cd "$2" && pwd)"
rounds="${3:-5}"
lines="${4:-1000000}"
line="${LINE:-[12:00:00] INFO worker [Task t-1] rendered frame 42 of 100 in 17 ms}"
timing="$(mktemp)"
trap 'rm -f "$timing"' EXIT
"$a/bin/heartlog" --version >/dev/null   # each builds its jar once, outside the timing
"$b/bin/heartlog" --version >/dev/null
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) = 1 ]; then order="$a $b"; else order="$b $a"; fi
  for clone in $order; do
    home="$(mktemp -d)"
    (cd "$clone" && /usr/bin/time -o "$timing" -f "%e %U %S" bin/heartlog run --worker "cpu-$r" --home "$home" \
        --keep-repeats -- sh -c "yes '$line' | head -n $lines >&2" >/dev/null 2>&1)
    echo "$r $clone $(cat "$timing")"
    rm -rf "$home"
  done
done
