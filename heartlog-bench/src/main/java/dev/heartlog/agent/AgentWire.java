package dev.heartlog.agent;

import java.util.List;
import java.util.Map;

/**
 * The agent's {@code logs_param} text, for load generators outside this package: they send what
 * an agent sends, byte for byte, rather than a hand-written imitation of it. In this package
 * because the writer is package-private.
 */
public final class AgentWire {

  private AgentWire() {}

  /**
   * The part of a heartbeat's {@code metadata_param} the store reads: the records' problems per
   * period ({@code problem_counts}), as the agent counts them.
   */
  public static String problemCountsMetadata(List<LogRecord> records) {
    return MetadataJson.object(Map.of("problem_counts", ProblemCounts.of(records)));
  }

  /**
   * {@code metadata} (an object, as {@link #problemCountsMetadata} writes it) with the worker's
   * clock in front, as the agent sends it with every heartbeat ({@code sent_at_ms}); the store
   * compares it with its own. {@code null} stays {@code null}.
   */
  public static String withClock(String metadata, long sentAtMs) {
    if (metadata == null) {
      return null;
    }
    String rest = metadata.substring(1).strip();
    return "{\"sent_at_ms\":" + sentAtMs + (rest.equals("}") ? "" : ",") + rest;
  }

  /** The records as one heartbeat's {@code logs_param}, written by the agent's own writer. */
  public static String logsArray(List<LogRecord> records) {
    return RecordJson.logsArray(records);
  }
}
