package dev.heartlog.agent;

/**
 * A snapshot of the agent's buffer counters, named as the seed's {@code get_stats()} names them
 * where it has them.
 *
 * @param currentBufferSize records waiting in memory now, including a batch in flight
 * @param totalLogsBuffered records accepted since the agent started
 * @param totalFlushes heartbeats that carried records to the store and were acknowledged
 * @param totalSent records the store acknowledged
 * @param totalDropped records that could not be kept (buffer full while the store was away);
 *     each drop is reported to the store as a WARNING record
 */
public record BufferStats(
    int currentBufferSize,
    long totalLogsBuffered,
    long totalFlushes,
    long totalSent,
    long totalDropped) {}
