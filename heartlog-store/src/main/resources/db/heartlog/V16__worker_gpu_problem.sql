-- Why a worker's last heartbeat had no GPU figures, or figures of only some of its GPUs, as its
-- agent said (the heartbeat's metadata "gpu_problem": "nvidia-smi not found", the tool's error
-- line, "Failed to initialize NVML: Unknown Error" on a cloud machine whose driver broke after
-- heavy work, a MIG instance it cannot read). The agent says it once on the worker's stderr;
-- kept here by the ingest function (R__ingest.sql), so that fleet health can list the workers
-- whose GPUs cannot be read, and a worker's page say why its VRAM is missing. NULL when the last
-- heartbeat said nothing (figures read, or the seed's workers).
ALTER TABLE workers ADD COLUMN IF NOT EXISTS gpu_problem text;
