#!/usr/bin/env bash
# What `heartlog run`'s line parser costs a line of each shape, alone (BENCHMARKS.md §7): runs
# LineParserTiming in a JVM of its own for each shape and the mix, against this build's jar and,
# with OLD_JAR, against another build's, taking turns; prints the nanoseconds a line of each run
# and the median's ratio (this build / the other).
# Usage: heartlog-bench/line-parser.sh [lines=1000000] [runs=5]
# OLD_JAR=/tmp/before/heartlog-cli/target/heartlog.jar compares with that build.
set -euo pipefail
lines="${1:-1000000}"
runs="${2:-5}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$root/bin/heartlog" --version >/dev/null   # builds the command line once
new_jar="$root/heartlog-cli/target/heartlog.jar"
builds="new"
if [ -n "${OLD_JAR:-}" ]; then builds="old new"; fi
for build in $builds; do
  jar="$new_jar"; if [ "$build" = old ]; then jar="$OLD_JAR"; fi
  mkdir -p "$work/$build"
  javac -d "$work/$build" -cp "$jar" "$root/heartlog-bench/line-parser/LineParserTiming.java"
done
timing() {  # build, then the line (none: the mix)
  local jar="$new_jar"; if [ "$1" = old ]; then jar="$OLD_JAR"; fi
  java -cp "$work/$1:$jar" dev.heartlog.cli.LineParserTiming "$lines" "${@:2}"
}
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
for shape in "Frame 12/300 rendered in 17 ms" "WARNING render: disk almost full on /scratch" \
    "[INFO] BUILD SUCCESS" "2026-12-03 09:57:28,855 INFO render - frame 7 done" \
    "upload: frame 42: retrying in 17 ms" "ERROR rendering frame 12" ""; do
  declare -a old=() new=()
  for i in $(seq 1 "$runs"); do
    for build in $builds; do
      if [ -z "$shape" ]; then ns=$(timing "$build"); else ns=$(timing "$build" "$shape"); fi
      if [ "$build" = old ]; then old+=("$ns"); else new+=("$ns"); fi
    done
  done
  label="${shape:-the mix of all six}"
  if [ -n "${OLD_JAR:-}" ]; then
    ratio=$(python3 -c "print('%.2f' % ($(median "${new[@]}") / $(median "${old[@]}")))")
    echo "$label | other: ${old[*]} ns | this: ${new[*]} ns | medians' ratio $ratio"
  else
    echo "$label | ${new[*]} ns"
  fi
done
