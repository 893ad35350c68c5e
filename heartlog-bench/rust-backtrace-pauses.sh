#!/usr/bin/env bash
# How long a Rust panic's backtrace pauses between two lines (BENCHMARKS.md §7, "How long a Rust
# backtrace pauses"): `heartlog run` holds a backtrace open up to 1 s for its next line. Builds a
# program of FUNCTIONS functions with debug information (about 20 KB of executable a function;
# 20,000 take about 3 minutes to compile here), makes it panic RUNS times with RUST_BACKTRACE=1,
# and prints the largest gap between two lines of stderr in each run.
# Usage: heartlog-bench/rust-backtrace-pauses.sh [functions=20000] [runs=3]
set -euo pipefail
functions="${1:-20000}"
runs="${2:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 - "$functions" >"$work/big.rs" <<'PY'
import sys
n = int(sys.argv[1])
print('use std::hint::black_box;')
for i in range(n):
    print(f'#[inline(never)] pub fn f{i}(x: u64) -> u64 {{ let v: Vec<u64> = (0..x % 7).map(|y| y * {i} + black_box(x)).collect(); v.iter().sum::<u64>() ^ {i} }}')
print(f'static FNS: [fn(u64) -> u64; {n}] = [' + ', '.join(f'f{i}' for i in range(n)) + '];')
print('#[inline(never)] fn deep(n: u32) -> u64 { if n == 0 { panic!("render failed: CUDA out of memory") } else { deep(n - 1) + 1 } }')
print('fn main() { let mut s = 0u64; for f in FNS.iter() { s += f(black_box(3)); } black_box(s); eprintln!("starting"); black_box(deep(20)); }')
PY
RUST_MIN_STACK=67108864 rustc -g -C opt-level=0 -C codegen-units=16 "$work/big.rs" -o "$work/big"
echo "executable: $(du -h "$work/big" | cut -f1)"

for run in $(seq 1 "$runs"); do
  python3 - "$work/big" <<'PY'
import os, subprocess, sys, time
p = subprocess.Popen([sys.argv[1]], stderr=subprocess.PIPE, env=dict(os.environ, RUST_BACKTRACE='1'))
last, gap, after, lines, previous = time.monotonic(), 0.0, '', 0, ''
for raw in p.stderr:
    now = time.monotonic()
    if lines > 0 and now - last > gap:
        gap, after = now - last, previous
    last, lines, previous = now, lines + 1, raw.decode().rstrip()
p.wait()
print(f'{lines} lines; largest gap {gap * 1000:.0f} ms, after the line "{after}"')
PY
done
