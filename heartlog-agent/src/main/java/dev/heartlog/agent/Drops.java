package dev.heartlog.agent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records the agent could not keep, counted by reason. Each count is reported to the store once,
 * as a WARNING record, so a gap in the timeline always says why it is there.
 */
final class Drops {

  /** Why records were dropped, with the sentence the report uses. */
  enum Reason {
    BUFFER_FULL("buffer_full", "memory and spool were full (or the spool off) while the store did not take them"),
    BURST("burst", "they came faster than the agent could write them to its spool"),
    REJECTED("rejected", "the store rejected their batch"),
    SPOOL_UNREADABLE("spool_unreadable", "their spooled batch could not be read back"),
    NO_AGENT_YET("no_agent_yet", "they were logged before the agent started and did not fit");

    final String key;
    final String sentence;

    Reason(String key, String sentence) {
      this.key = key;
      this.sentence = sentence;
    }
  }

  private final Map<Reason, AtomicLong> unreported = new ConcurrentHashMap<>();
  private final Map<Reason, AtomicLong> totals = new ConcurrentHashMap<>();
  private volatile Reason whenMemoryIsFull = Reason.BUFFER_FULL;

  /** Why a record that finds memory full is dropped now: set by the heartbeat thread. */
  void whenMemoryIsFull(Reason reason) {
    whenMemoryIsFull = reason;
  }

  /** Counts one record dropped because memory was full, for the reason of the moment. */
  void addMemoryFull() {
    add(whenMemoryIsFull, 1);
  }

  void add(Reason reason, long records) {
    if (records <= 0) {
      return;
    }
    unreported.computeIfAbsent(reason, r -> new AtomicLong()).addAndGet(records);
    totals.computeIfAbsent(reason, r -> new AtomicLong()).addAndGet(records);
  }

  /** The counts not yet reported, each reset to zero. */
  Map<Reason, Long> takeUnreported() {
    Map<Reason, Long> taken = new LinkedHashMap<>();
    for (Reason reason : Reason.values()) {
      AtomicLong count = unreported.get(reason);
      long value = count == null ? 0 : count.getAndSet(0);
      if (value > 0) {
        taken.put(reason, value);
      }
    }
    return taken;
  }

  boolean hasUnreported() {
    for (AtomicLong count : unreported.values()) {
      if (count.get() > 0) {
        return true;
      }
    }
    return false;
  }

  /** Puts back counts whose report did not reach the store. */
  void restore(Map<Reason, Long> counts) {
    counts.forEach((reason, value) -> unreported.computeIfAbsent(reason, r -> new AtomicLong()).addAndGet(value));
  }

  long total() {
    return totals.values().stream().mapToLong(AtomicLong::get).sum();
  }

  /** Totals since start, keyed by the reason's name (for statistics and metrics). */
  Map<String, Long> totalsByReason() {
    Map<String, Long> byReason = new LinkedHashMap<>();
    for (Reason reason : Reason.values()) {
      AtomicLong count = totals.get(reason);
      if (count != null && count.get() > 0) {
        byReason.put(reason.key, count.get());
      }
    }
    return byReason;
  }
}
