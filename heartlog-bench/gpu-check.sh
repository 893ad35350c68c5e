#!/usr/bin/env bash
# What heartlog reads of a real NVIDIA GPU (BENCHMARKS.md §5, "nvidia-smi on a real GPU"): the
# tool's exact output for both of heartlog's queries, how long one reading takes on an idle and
# on a busy GPU, heartlog run's heartbeats against CUDA's own figures while a PyTorch worker
# holds 0, 20 and 60 GiB, and how many GPUs the CUDA driver gives a process for values of
# CUDA_VISIBLE_DEVICES (the probe must count as many: NvidiaSmiProbeTest holds the answers).
# Needs a machine with an NVIDIA GPU, its driver, Java 17, and a python3 with PyTorch.
# Usage: heartlog-bench/gpu-check.sh [heartlog.jar]   (default: bin/heartlog's jar, built first)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${1:-$root/heartlog-cli/target/heartlog.jar}"
[ -f "$jar" ] || "$root/bin/heartlog" --version >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export HEARTLOG_HOME="$work/home"
heartlog() { java -jar "$jar" "$@"; }

readings() {   # ten readings of the heartbeat's query, each timed
  for _ in $(seq 10); do
    local start; start=$(date +%s%N)
    nvidia-smi --query-gpu=memory.total,memory.used --format=csv,noheader,nounits >/dev/null
    printf '%s ms  ' $(( ($(date +%s%N) - start) / 1000000 ))
  done
  echo
}

echo "== the GPU"
nvidia-smi -L
cat /proc/driver/nvidia/version
for query in memory.total,memory.used index,uuid,memory.total,memory.used,name \
    memory.total,memory.reserved,memory.used,memory.free,persistence_mode; do
  echo "-- --query-gpu=$query"
  nvidia-smi --query-gpu=$query --format=csv,noheader,nounits | od -c | head -8
done

echo "== one reading, idle"
readings
echo "== one reading, busy (bf16 matrix products)"
python3 - <<'PY' &
import time, torch
a = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16); b = torch.randn_like(a)
end = time.time() + 20
while time.time() < end:
    for _ in range(50): a @ b
    torch.cuda.synchronize()
PY
busy=$!
sleep 8
nvidia-smi --query-gpu=utilization.gpu --format=csv,noheader
readings
wait "$busy"

echo "== heartlog run: a task holding 0, 20 and 60 GiB, heartbeats every 2 s"
task=5d1f3c2a-8e4b-4c6d-9f0a-1b2c3d4e5f60
cat >"$work/worker.py" <<'PY'
import sys, time, torch
task = sys.argv[1]
def log(message):
    free, total = torch.cuda.mem_get_info()
    print(f"[{time.strftime('%H:%M:%S')}] INFO RENDER [Task {task}] {message}; "
          f"cudaMemGetInfo: {(total - free) >> 20} MiB used of {total >> 20} MiB", flush=True)
log("Task started")
time.sleep(5)
held = []
for gib in (20, 40):
    held.append(torch.ones(gib << 30, dtype=torch.uint8, device="cuda"))
    torch.cuda.synchronize()
    log(f"holding {sum(b.numel() for b in held) >> 20} MiB of tensors")
    time.sleep(7)
held.clear()
torch.cuda.empty_cache()
log("released the tensors")
time.sleep(5)
print(f"[{time.strftime('%H:%M:%S')}] INFO RENDER [Task {task}] Task completed", flush=True)
PY
heartlog run --interval 2s --worker gpu-check -- python3 "$work/worker.py" "$task"
heartlog task "$task"
heartlog task "$task" --json | python3 -c '
import json, sys
print("heartbeats: vram_used_mb", [h["vram_used_mb"] for h in json.load(sys.stdin)["heartbeats"]])'

echo "== CUDA_VISIBLE_DEVICES: GPUs the CUDA driver gives (cuInit, cuDeviceGetCount)"
uuid=$(nvidia-smi --query-gpu=uuid --format=csv,noheader | head -1)
prefix=${uuid:0:12}
for value in "0" " 0" "00" "+0" "-0" "0;1" "0x0" "010" "1" "0,1" "1,0" "0,0" "" "abc,0" "0,abc" \
    "$prefix,0" "0,$prefix" "$prefix,$prefix" "$prefix ,1" "GPU-" "MIG-0,0" "0,MIG-0" "$prefix,MIG-0" \
    "MIG-$uuid/0/0"; do
  printf "'%s' -> " "$value"
  CUDA_VISIBLE_DEVICES="$value" python3 -c '
import ctypes
cuda = ctypes.CDLL("libcuda.so.1")
status = cuda.cuInit(0)
count = ctypes.c_int(0)
if status == 0:
    cuda.cuDeviceGetCount(ctypes.byref(count))
print(count.value, "" if status == 0 else f"(cuInit: error {status})")'
done
