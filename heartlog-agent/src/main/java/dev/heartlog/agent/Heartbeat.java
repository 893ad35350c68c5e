package dev.heartlog.agent;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One call of {@code func_worker_heartbeat_with_logs}: what a {@link Transport} sends.
 *
 * @param workerId the worker's id ({@code worker_id_param})
 * @param sessionId this agent session's id, new at every start ({@code session_id_param})
 * @param batchSequence the batch's number within the session, or {@code null} for a heartbeat
 *     that carries no records; a store that already applied this number stores nothing twice
 * @param status the worker's status ({@code status_param})
 * @param vramTotalMb total GPU memory in MiB, or {@code null} when unknown
 * @param vramUsedMb used GPU memory in MiB, or {@code null} when unknown
 * @param currentTaskId the task the worker runs now, or {@code null}
 * @param records the records this heartbeat carries, oldest first
 * @param metadata the agent's own figures (buffer statistics, GPUs counted) for the heartbeat
 *     history
 * @param encodedLogs {@code records} already in the wire format, or {@code null} to encode them
 */
public record Heartbeat(
    String workerId,
    String sessionId,
    Long batchSequence,
    WorkerStatus status,
    Integer vramTotalMb,
    Integer vramUsedMb,
    String currentTaskId,
    List<LogRecord> records,
    Map<String, Object> metadata,
    String encodedLogs) {

  /** A heartbeat whose records are encoded when a transport asks for them. */
  public Heartbeat(
      String workerId,
      String sessionId,
      Long batchSequence,
      WorkerStatus status,
      Integer vramTotalMb,
      Integer vramUsedMb,
      String currentTaskId,
      List<LogRecord> records,
      Map<String, Object> metadata) {
    this(workerId, sessionId, batchSequence, status, vramTotalMb, vramUsedMb, currentTaskId, records, metadata, null);
  }

  public Heartbeat {
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(status, "status");
    records = List.copyOf(records);
    metadata = metadata == null ? Map.of() : metadata;
  }

  /** The records as the JSON array sent as {@code logs_param}, cleaned of what PostgreSQL rejects. */
  public String logsJson() {
    return encodedLogs != null ? encodedLogs : RecordJson.logsArray(records);
  }

  /** The metadata as a JSON object. */
  public String metadataJson() {
    return MetadataJson.object(metadata);
  }
}
