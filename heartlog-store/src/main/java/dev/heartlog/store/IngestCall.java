package dev.heartlog.store;

/**
 * The named arguments of one {@code func_worker_heartbeat_with_logs} call; a {@code null} is an
 * argument the client left out. JSON arguments are JSON text.
 */
public record IngestCall(
    String workerId,
    Long vramTotalMb,
    Long vramUsedMb,
    String logsJson,
    String currentTaskId,
    String status,
    String sessionId,
    Long batchSequence,
    String metadataJson) {}
