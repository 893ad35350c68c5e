package dev.heartlog.store;

import java.time.Instant;

/**
 * One worker as the fleet view shows it.
 *
 * @param id the worker id
 * @param health its status ({@code active}, {@code stopped}, {@code crashed}), or {@code stale}
 *     when it claims to be active but its heartbeats stopped
 * @param lastHeartbeat when its last heartbeat arrived, or {@code null}
 * @param heartbeatAgeSeconds seconds since then, or {@code null}
 * @param vramTotalMb total GPU memory in MiB, or {@code null}
 * @param vramUsedMb used GPU memory in MiB, or {@code null}
 * @param currentTaskId the task it reported last, or {@code null}
 * @param errorsLastHour ERROR and CRITICAL records of the last hour
 * @param warningsLastHour WARNING records of the last hour
 */
public record WorkerHealth(
    String id,
    String health,
    Instant lastHeartbeat,
    Long heartbeatAgeSeconds,
    Integer vramTotalMb,
    Integer vramUsedMb,
    String currentTaskId,
    long errorsLastHour,
    long warningsLastHour) {}
