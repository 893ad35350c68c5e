package dev.heartlog.store;

import java.util.List;

/**
 * One worker: its health, its recent tasks and its latest records.
 *
 * @param health status, heartbeat age, VRAM and problem counts
 * @param recentTasks its most recent tasks, newest first
 * @param records its latest records, oldest first
 */
public record WorkerDetail(WorkerHealth health, List<TaskSummary> recentTasks, List<StoredRecord> records) {}
