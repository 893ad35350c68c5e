-- Why the worker's newest heartbeat carried no GPU figures, or only some of its GPUs': the
-- agent's reason (nvidia-smi not found, the tool's error line, a MIG instance it cannot read),
-- from that heartbeat's metadata. No row, or a null, where it had none to give.
SELECT metadata ->> 'gpu_problem' AS gpu_problem
FROM worker_heartbeats
WHERE worker_id = :worker::text
ORDER BY received_at DESC
LIMIT 1
