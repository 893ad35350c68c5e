package dev.heartlog.store;

import java.time.Instant;

/**
 * A log record as the store keeps it.
 *
 * @param id the store's id (increasing in the order rows were stored)
 * @param timestamp when the worker made the record, by the worker's clock
 * @param receivedAt when the store received it; the difference to {@code timestamp} shows skew
 * @param level DEBUG, INFO, WARNING, ERROR or CRITICAL
 * @param message the message
 * @param workerId the worker that sent it ({@code source_id})
 * @param taskId the task it belongs to, or {@code null}
 * @param metadataJson the metadata as a JSON object
 * @param exception the exception text from the metadata, or {@code null}
 * @param sessionId the agent session that sent it, or {@code null} for older clients
 * @param sequence the record's number within that session, or {@code null}
 */
public record StoredRecord(
    long id,
    Instant timestamp,
    Instant receivedAt,
    String level,
    String message,
    String workerId,
    String taskId,
    String metadataJson,
    String exception,
    String sessionId,
    Long sequence) {

  /** Whether it is an ERROR or CRITICAL record: heartlog's sign that a task failed. */
  public boolean isError() {
    return level.equals("ERROR") || level.equals("CRITICAL");
  }
}
