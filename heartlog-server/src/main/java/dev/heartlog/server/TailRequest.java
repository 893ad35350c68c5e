package dev.heartlog.server;

import dev.heartlog.store.LogFilter;
import dev.heartlog.store.MetadataFilter;
import dev.heartlog.store.StoredRecord;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * What one follower of the live tail asks for, read from the query of {@code /api/tail} (the
 * same for its server-sent events and its WebSocket): {@code worker}, {@code task}, {@code
 * level} (the least severe), {@code grep}, {@code component}, {@code meta} ({@code key=value},
 * repeated for more keys), and {@code after}, the id of the last record it has, to be sent what
 * was stored since. Blank or missing parameters do not filter.
 *
 * @param minimumLevel an index into {@link LogFilter#LEVELS}; 0 keeps every level
 * @param grep lowercased
 * @param metadata as {@link LogFilter#metadata}, matched as {@link MetadataFilter} says
 * @param afterId null: only what is stored from now on
 */
record TailRequest(
    String worker, String task, int minimumLevel, String grep, String component, Map<String, String> metadata,
    Long afterId) {

  /** The parameters {@link #of} reads. */
  static final List<String> PARAMETERS = List.of("worker", "task", "level", "grep", "component", "meta", "after");

  TailRequest {
    metadata = Map.copyOf(metadata);
    // What the store's filter refuses (a NUL character) is refused here, as /api/logs refuses it:
    // refused only at the follower's first look back, it would stop the live tail's reads of
    // every follower, again and again.
    new LogFilter(worker, task, null, null, null, grep, component, metadata, 1);
  }

  /** A follower that asks for no metadata. */
  TailRequest(String worker, String task, int minimumLevel, String grep, String component, Long afterId) {
    this(worker, task, minimumLevel, grep, component, Map.of(), afterId);
  }

  /**
   * @param queryParams a query parameter's values by its name, empty when missing
   * @throws IllegalArgumentException for a level {@link LogFilter#minimumLevel} does not know,
   *     an {@code after} that is not a whole number, a {@code meta} without a key, or a filter's
   *     text with the NUL character
   */
  static TailRequest of(Function<String, List<String>> queryParams) {
    Function<String, String> queryParam = name -> QueryParameter.one(name, queryParams.apply(name));
    String level = LogFilter.minimumLevel(queryParam.apply("level"));
    int minimumLevel = level == null ? 0 : LogFilter.LEVELS.indexOf(level);
    String after = blank(queryParam.apply("after"));
    Long afterId = null;
    if (after != null) {
      try {
        afterId = Long.parseLong(after);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("after must be the id of a record, a whole number (got '" + after + "')");
      }
    }
    String grep = blank(queryParam.apply("grep"));
    return new TailRequest(blank(queryParam.apply("worker")), blank(queryParam.apply("task")), minimumLevel,
        grep == null ? null : grep.toLowerCase(Locale.ROOT), blank(queryParam.apply("component")),
        MetadataFilter.parse(queryParams.apply("meta")), afterId);
  }

  /**
   * This request, or, when it names no {@code after}, the same sent what was stored after {@code
   * newestWhenAsked}, the newest record when it came: a stream's headers (and a WebSocket's
   * upgrade) go out before the follower is set up, and a record stored between the two was not
   * sent. Null leaves it as it is.
   */
  TailRequest from(Long newestWhenAsked) {
    return afterId != null || newestWhenAsked == null ? this
        : new TailRequest(worker, task, minimumLevel, grep, component, metadata, newestWhenAsked);
  }

  /** Whether this follower wants {@code record}. */
  boolean wants(StoredRecord record) {
    return (worker == null || worker.equals(record.workerId()))
        && (task == null || task.equals(record.taskId()))
        && LogFilter.LEVELS.indexOf(record.level()) >= minimumLevel
        && (grep == null || record.message().toLowerCase(Locale.ROOT).contains(grep))
        && (component == null || LogFilter.covers(component, record.component()))
        && (metadata.isEmpty() || MetadataFilter.matches(metadata, record));
  }

  /**
   * What the store is asked for on this follower's behalf: its worker, task, level, component and
   * metadata, at most {@code limit} records. The text is matched by {@link #wants}, as Java
   * lowercases it.
   */
  LogFilter storeFilter(int limit) {
    return new LogFilter(worker, task, minimumLevel == 0 ? null : LogFilter.LEVELS.get(minimumLevel),
        null, null, null, component, metadata, limit);
  }

  private static String blank(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
