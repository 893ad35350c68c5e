package dev.heartlog.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How much the records of a time range take, grouped by worker, component, level or task, as
 * {@code heartlog volume} lists it: which worker, or which logger, fills the store.
 *
 * @param since the range's start
 * @param until the range's end, or {@code null} for now
 * @param by what the records are grouped by
 * @param parts the parts of the most records, as many as were asked for
 * @param partCount how many parts the range holds, those not listed too
 * @param records how many records the range holds
 * @param bytes the bytes of their messages and metadata as stored
 * @param storeBytes what all of the store's records take, with their indexes
 * @param partitions the partitions they are in
 * @param heartbeatBytes what the store's heartbeats take, with their indexes
 */
public record RecordVolume(Instant since, Instant until, By by, List<Part> parts, long partCount, long records,
    long bytes, long storeBytes, long partitions, long heartbeatBytes) {

  /** Parts when no limit is given. */
  public static final int DEFAULT_LIMIT = 20;

  public RecordVolume {
    parts = List.copyOf(parts);
  }

  /** What the records are grouped by. */
  public enum By {
    WORKER, COMPONENT, LEVEL, TASK;

    /** {@code worker}, {@code component}, {@code level} or {@code task}, in any case. */
    public static By named(String name) {
      for (By by : values()) {
        if (by.name().equalsIgnoreCase(name == null ? "" : name.strip())) {
          return by;
        }
      }
      throw new IllegalArgumentException("records are grouped by worker, component, level or task (got '" + name + "')");
    }

    /** Its name as the query and the command line take it: {@code worker}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How long the range is: from its start to its end, or to {@code now} where it has none. */
  public Duration length(Instant now) {
    return Duration.between(since, until == null ? now : until);
  }

  /**
   * The records of the range before this one, as long and ending where it starts: {@code [since,
   * until)}, grouped alike. A part that grew after a deploy (a logger left at DEBUG) shows against
   * it; a part new in this range had none.
   *
   * @param since the range before's start
   * @param until the range before's end: this range's start
   * @param records how many records it holds
   * @param bytes the bytes of their messages and metadata as stored
   * @param partRecords each part's name ({@code null} for the records without one) to its records
   *     then; a part without records then is not in it
   */
  public record Before(Instant since, Instant until, long records, long bytes, Map<String, Long> partRecords) {

    public Before {
      partRecords = Collections.unmodifiableMap(new HashMap<>(partRecords));   // a null name is a part
    }

    /** The records of {@code part} in the range before: 0 for a part new since. */
    public long of(Part part) {
      return partRecords.getOrDefault(part.name(), 0L);
    }
  }

  /**
   * One part of the range's records.
   *
   * @param name the worker's, component's or task's id, or the level; {@code null} for the records
   *     without a component, or outside a task
   * @param records how many records
   * @param bytes the bytes of their messages and metadata as stored
   */
  public record Part(String name, long records, long bytes) {}
}
