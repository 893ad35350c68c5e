package dev.heartlog.agent;

/**
 * What became of one heartbeat. A failure is an expected state, never an exception: the agent
 * keeps the records and tries again.
 *
 * @param outcome what happened
 * @param logsInserted rows the store inserted for this call (0 for a repeat it already had)
 * @param detail a short human-readable reason for anything but {@link Outcome#STORED}; for
 *     {@code STORED}, {@code null}, or why the worker's row in {@code workers} was not written
 * @param retryAfter how long the store asked to be left alone (HTTP {@code Retry-After}), or
 *     {@code null}
 */
public record DeliveryResult(Outcome outcome, int logsInserted, String detail, java.time.Duration retryAfter) {

  public DeliveryResult(Outcome outcome, int logsInserted, String detail) {
    this(outcome, logsInserted, detail, null);
  }

  /** The three ways a heartbeat can end. */
  public enum Outcome {
    /** The store acknowledged the heartbeat and every record it carried. */
    STORED,
    /**
     * The heartbeat reached the store but its records did not: the ingest function is missing
     * and the transport fell back to a plain heartbeat update. The records are kept.
     */
    HEARTBEAT_ONLY,
    /** Nothing reached the store (unreachable, refused, timed out). The records are kept. */
    FAILED,
    /**
     * The store refused this batch for what it contains, and would refuse it again: it is not
     * retried. Its records are dropped and the drop is reported.
     */
    REJECTED
  }

  public static DeliveryResult stored(int logsInserted) {
    return new DeliveryResult(Outcome.STORED, logsInserted, null);
  }

  /**
   * Stored, records and all, but the orchestrator's {@code workers} table refused the worker's
   * row (a status its CHECK does not list, a column it requires): {@code reason} is the
   * database's message.
   */
  public static DeliveryResult storedWithoutWorkerRow(int logsInserted, String reason) {
    return new DeliveryResult(Outcome.STORED, logsInserted, "the workers table refused the worker's row: " + reason);
  }

  /**
   * Stored, records and all, but without the heartbeat's current task, whose id is longer than
   * the store keeps: {@code reason} is the store's words.
   */
  public static DeliveryResult storedWithoutCurrentTask(int logsInserted, String reason) {
    return new DeliveryResult(Outcome.STORED, logsInserted, "the store kept no current task: " + reason);
  }

  public static DeliveryResult heartbeatOnly(String detail) {
    return new DeliveryResult(Outcome.HEARTBEAT_ONLY, 0, detail);
  }

  public static DeliveryResult failed(String detail) {
    return new DeliveryResult(Outcome.FAILED, 0, detail);
  }

  /** A failure after which the store asked not to be called again for {@code retryAfter}. */
  public static DeliveryResult failed(String detail, java.time.Duration retryAfter) {
    return new DeliveryResult(Outcome.FAILED, 0, detail, retryAfter);
  }

  public static DeliveryResult rejected(String detail) {
    return new DeliveryResult(Outcome.REJECTED, 0, detail);
  }

  public boolean recordsStored() {
    return outcome == Outcome.STORED;
  }
}
