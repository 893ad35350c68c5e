package dev.heartlog.store;

import java.util.List;

/**
 * One worker: its health, its recent tasks and its latest records.
 *
 * @param health status, heartbeat age, VRAM and problem counts
 * @param gpuProblem why its newest heartbeat had no GPU figures, or figures of only some GPUs, as
 *     its agent said (the heartbeat's {@code gpu_problem}: {@code nvidia-smi not found}, {@code
 *     Failed to initialize NVML: Unknown Error}); {@code null} when it said nothing
 * @param recentTasks its most recent tasks, newest first
 * @param records its latest records, oldest first
 */
public record WorkerDetail(
    WorkerHealth health, String gpuProblem, List<TaskSummary> recentTasks, List<StoredRecord> records) {}
