package dev.heartlog.store;

import java.time.Instant;

/**
 * One stored heartbeat: a point of a worker's memory-over-time line.
 *
 * @param workerId the worker
 * @param receivedAt when the store received it
 * @param status the status it reported
 * @param vramTotalMb total GPU memory in MiB, or {@code null}
 * @param vramUsedMb used GPU memory in MiB, or {@code null}
 * @param records how many records it carried
 * @param currentTaskId the task it reported as current, or {@code null}
 */
public record HeartbeatPoint(
    String workerId,
    Instant receivedAt,
    String status,
    Integer vramTotalMb,
    Integer vramUsedMb,
    int records,
    String currentTaskId) {}
