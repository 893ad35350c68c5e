package dev.heartlog.store;

import dev.heartlog.agent.Level;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code heartlog logs} (and the query API) selects. A {@code null} field does not filter.
 *
 * @param workerId only this worker's records
 * @param taskId only this task's records
 * @param minimumLevel only records at least this severe: DEBUG, INFO, WARNING, ERROR, CRITICAL
 * @param since only records the worker made at or after this time
 * @param until only records the worker made before this time; not before {@code since}
 * @param grep only records whose message contains this text, ignoring case
 * @param component only records of this component or below it, as levels per component name
 *     them: a record's {@code component}, else its {@code logger}, is this name, or starts with
 *     it and a dot ({@code diffusers} covers {@code diffusers.pipelines}), in any case
 * @param metadata only records whose metadata has each of these keys (top-level) with this value,
 *     as {@link MetadataFilter} matches them; empty: no filter
 * @param limit at most this many records, the newest
 */
public record LogFilter(
    String workerId,
    String taskId,
    String minimumLevel,
    Instant since,
    Instant until,
    String grep,
    String component,
    Map<String, String> metadata,
    int limit) {

  /** The store's levels, least severe first. */
  public static final List<String> LEVELS = List.of("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL");

  /** Records when no limit is given. */
  public static final int DEFAULT_LIMIT = 100;

  /** The records on each side of a point ({@link Store#logsAround}) when no number is given. */
  public static final int DEFAULT_CONTEXT = 20;

  public LogFilter {
    if (minimumLevel != null && !LEVELS.contains(minimumLevel)) {
      throw new IllegalArgumentException(
          "unknown level '" + minimumLevel + "'; use one of " + String.join(", ", LEVELS));
    }
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive");
    }
    checkRange(since, until);
    refuseNul("worker", workerId);
    refuseNul("task", taskId);
    refuseNul("grep", grep);
    refuseNul("component", component);
    metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    MetadataFilter.check(metadata);
  }

  /**
   * Refuses a filter's text that holds the NUL character. No record holds one (the agents, the
   * server and the ingest function clean it out), and PostgreSQL refuses it in a query with
   * "invalid byte sequence for encoding UTF8: 0x00", which named neither the filter nor the cause.
   */
  static void refuseNul(String filter, String value) {
    if (value != null && value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(filter + " cannot hold the NUL character, which no record has");
    }
  }

  /**
   * The store's level a reader's minimum level names ({@code --level}, the query API's and the
   * live tail's {@code level=}), in any case and in any vocabulary the agents map from: {@code
   * warn}, {@code severe} and {@code fatal} read as WARNING, ERROR and CRITICAL, as the records
   * of a Logback or {@code java.util.logging} worker were stored.
   *
   * @param name what was given; null or blank: no minimum
   * @return one of {@link #LEVELS}, or null for no minimum
   * @throws IllegalArgumentException for a name no vocabulary uses, with the levels to use
   */
  public static String minimumLevel(String name) {
    if (name == null || name.isBlank()) {
      return null;
    }
    return Level.named(name).map(Level::name).orElseThrow(() -> new IllegalArgumentException(
        "unknown level '" + name.trim() + "'; use one of " + String.join(", ", LEVELS)
        + " (or WARN, SEVERE, FATAL, TRACE)"));
  }

  /**
   * Refuses a range that ends before it begins. Nothing could match it, and it is nearly always two
   * ages given the wrong way round ({@code --since 30m --until 1h}), which would otherwise list
   * nothing and look like a worker that logged nothing.
   */
  public static void checkRange(Instant since, Instant until) {
    if (since != null && until != null && since.isAfter(until)) {
      throw new IllegalArgumentException("since (" + since.truncatedTo(ChronoUnit.SECONDS) + ") is after until ("
          + until.truncatedTo(ChronoUnit.SECONDS) + "), so nothing can match; ages count back from now: "
          + "since 1h until 30m is the half hour that ended 30 minutes ago");
    }
  }

  /** A filter on everything but the metadata. */
  public LogFilter(String workerId, String taskId, String minimumLevel, Instant since, Instant until, String grep,
      String component, int limit) {
    this(workerId, taskId, minimumLevel, since, until, grep, component, Map.of(), limit);
  }

  /** A filter on everything but the component and the metadata. */
  public LogFilter(String workerId, String taskId, String minimumLevel, Instant since, Instant until, String grep, int limit) {
    this(workerId, taskId, minimumLevel, since, until, grep, null, Map.of(), limit);
  }

  /** Every record, newest {@link #DEFAULT_LIMIT} first. */
  public static LogFilter all() {
    return new LogFilter(null, null, null, null, null, null, DEFAULT_LIMIT);
  }

  /**
   * Whether {@code name} (a record's component, else its logger; null: none) is {@link
   * #component} or below it; true where the filter names none. As the store's queries read it.
   */
  public boolean coversComponent(String name) {
    return covers(component, name);
  }

  /** Whether {@code name} is {@code component} or below it, in any case; true where {@code component} is null. */
  public static boolean covers(String component, String name) {
    if (component == null) {
      return true;
    }
    int length = component.length();
    return name != null && name.regionMatches(true, 0, component, 0, length)
        && (name.length() == length || name.charAt(length) == '.');
  }

  /** Whether only WARNING and more severe records are asked for: what the problems' index holds. */
  boolean warningsAndAbove() {
    return minimumLevel != null && LEVELS.indexOf(minimumLevel) >= LEVELS.indexOf("WARNING");
  }

  /** The levels at or above {@link #minimumLevel()}. */
  String[] levels() {
    return levelsFrom(minimumLevel);
  }

  /** The levels at or above {@code minimumLevel}, one of {@link #LEVELS}; all for {@code null}. */
  static String[] levelsFrom(String minimumLevel) {
    int from = minimumLevel == null ? 0 : LEVELS.indexOf(minimumLevel);
    return LEVELS.subList(from, LEVELS.size()).toArray(String[]::new);
  }
}
