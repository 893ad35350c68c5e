#!/usr/bin/env bash
# How long heartlog run's line reader takes to read each line given (BENCHMARKS.md §7), in the
# build whose command-line jar is JAR (heartlog-cli/target/heartlog.jar after bin/heartlog ran).
# Usage: heartlog-bench/parse-timing.sh JAR 'a line' ['another line' ...]
# PARSE_TIMING_LINE_FORMAT=REGEX reads the lines by that --line-format instead of the default;
# PARSE_TIMING_READER=llama.cpp or =process times that reader alone (ParseTiming.java says which).
set -euo pipefail
jar="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
shift
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
classes="$(mktemp -d)"
trap 'rm -rf "$classes"' EXIT
javac -cp "$jar" -d "$classes" "$here/parse-timing/dev/heartlog/cli/ParseTiming.java"
java -cp "$classes:$jar" dev.heartlog.cli.ParseTiming "$@"
