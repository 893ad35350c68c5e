-- Runs after every `heartlog migrate`: the coming days' partitions exist before records arrive.
SELECT heartlog_ensure_partitions();
