"""What a Python worker's supabase-py client gets from `heartlog serve`.

Not part of `./mvnw verify`: CI reaches no Python package index, and Debian packages no
supabase-py. `PythonClientsTest` sends the same requests, headers included, from Java; this
script checks them with the client itself, where it is installed:

    python3 -m venv /tmp/supa && /tmp/supa/bin/pip install supabase
    bin/heartlog serve --port 7181          # prints a writer key on first start
    /tmp/supa/bin/python docs/checks/supabase_py_client.py http://127.0.0.1:7181 <writer key>

Exits non-zero, naming the check, when one fails.
"""
import json
import pathlib
import sys

from postgrest.exceptions import APIError
from supabase import create_client

url, key = sys.argv[1], sys.argv[2]
client = create_client(url, key)
fixture = pathlib.Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "python-worker-heartbeat.json"
body = json.loads(fixture.read_text()) if fixture.exists() else {
    "worker_id_param": "gpu-20261127-a1b2c3", "vram_total_mb_param": 81559, "vram_used_mb_param": 23017,
    "logs_param": [{"timestamp": "2026-11-27T21:59:58.123456+00:00", "level": "INFO", "message": "hello"}]}
failures = []


def check(name, condition):
    print(("ok    " if condition else "FAIL  ") + name)
    if not condition:
        failures.append(name)


answer = client.rpc("func_worker_heartbeat_with_logs", body).execute().data
check("the seed worker's heartbeat is stored", answer["success"] and answer["logs_inserted"] == len(body["logs_param"]))

worker = body["worker_id_param"]
updated = client.table("workers").update({"status": "active", "vram_used_mb": 1023.6}).eq("id", worker).execute().data
check("update() gets the updated row back, its VRAM rounded", len(updated) == 1 and updated[0]["vram_used_mb"] == 1024)
check("update() of a worker the table lacks gets []",
      client.table("workers").update({"status": "active"}).eq("id", "no-such-worker").execute().data == [])

fractions = dict(body, worker_id_param=worker + "-fractions", vram_used_mb_param=23017.4453125,
                 vram_total_mb_param=85520809984)
try:
    answer = client.rpc("func_worker_heartbeat_with_logs", fractions).execute().data
except APIError as error:
    answer = {"success": False, "error": error.message}
check("VRAM as a fraction, or in bytes, does not cost the heartbeat its records", answer["success"])

try:
    client.rpc("claim_task", {}).execute()
    check("another function is refused", False)
except APIError as error:   # PostgREST's JSON; a plain 404 page is an APIError without its code
    check("another function is refused as PostgREST refuses it (PGRST202)", error.code == "PGRST202")

sys.exit(1 if failures else 0)
