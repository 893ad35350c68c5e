package dev.heartlog.agent;

import java.time.Instant;
import java.util.Map;

/**
 * A snapshot of the agent's counters. The first three are named as the seed's {@code
 * get_stats()} names them.
 *
 * @param currentBufferSize records in memory now: waiting, or in a batch not yet safe
 * @param totalLogsBuffered records accepted since the agent started
 * @param totalFlushes heartbeats that carried records and were acknowledged
 * @param totalSent records the store acknowledged
 * @param totalSentFromEarlierRuns those of them that an earlier run of the worker left in the
 *     spool (it stopped while the store was down), replayed by this one: the rest are this run's
 * @param totalDropped records that could not be kept; each is reported to the store
 * @param droppedByReason {@link #totalDropped} by reason ({@code buffer_full}, {@code burst},
 *     {@code rejected}, {@code spool_unreadable}, {@code no_agent_yet})
 * @param spooledBatches batches waiting in the spool (or in memory without one)
 * @param spooledBytes bytes those batches take on disk
 * @param retries heartbeats that failed and were tried again
 * @param lastError the last delivery problem, or {@code null}
 * @param lastErrorAt when it happened, or {@code null}
 * @param totalRepeatsCounted records that repeated a flood of one record and were counted, not
 *     kept; each count reaches the store as a record {@code repeated N more times: ...}
 */
public record AgentStats(
    int currentBufferSize,
    long totalLogsBuffered,
    long totalFlushes,
    long totalSent,
    long totalSentFromEarlierRuns,
    long totalDropped,
    Map<String, Long> droppedByReason,
    int spooledBatches,
    long spooledBytes,
    long retries,
    String lastError,
    Instant lastErrorAt,
    long totalRepeatsCounted) {

  public AgentStats {
    droppedByReason = Map.copyOf(droppedByReason);
  }
}
