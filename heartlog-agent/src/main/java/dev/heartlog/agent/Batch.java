package dev.heartlog.agent;

import java.util.List;

/**
 * Records cut from the buffer to travel in one heartbeat, numbered within their agent session.
 * The batch keeps its session and number for every retry and replay, which is how the store
 * recognises a batch it already stored.
 *
 * @param sessionId the session that cut it (a replayed batch keeps its original session)
 * @param sequence its number within that session
 * @param records the records, oldest first, as they are sent (drop reports included)
 * @param fromBuffer those records that still hold buffer capacity until the batch is safe; empty
 *     for a batch read back from the spool
 * @param logsJson the records in the wire format, encoded once
 * @param bufferedCount how many of the records came from the buffer (drop reports do not): what
 *     a flush counts as settled once the store has the batch; kept in the spool too
 */
record Batch(
    String sessionId,
    long sequence,
    List<LogRecord> records,
    List<LogRecord> fromBuffer,
    String logsJson,
    int bufferedCount) {

  Batch {
    records = List.copyOf(records);
    fromBuffer = List.copyOf(fromBuffer);
  }

  static Batch of(String sessionId, long sequence, List<LogRecord> records, List<LogRecord> fromBuffer) {
    return of(sessionId, sequence, records, fromBuffer, Credentials.NONE);
  }

  /**
   * A batch whose records hold none of {@code credentials}: where its text holds one, it is made of
   * copies of the records with each masked, and it is they that are sent, spooled and split.
   */
  static Batch of(String sessionId, long sequence, List<LogRecord> records, List<LogRecord> fromBuffer,
      Credentials credentials) {
    String logs = RecordJson.logsArray(records);
    if (credentials.appearIn(logs)) {
      records = credentials.mask(records);
      logs = RecordJson.logsArray(records);
    }
    return new Batch(sessionId, sequence, records, fromBuffer, logs, fromBuffer.size());
  }
}
