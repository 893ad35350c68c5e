package dev.heartlog.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What {@code heartlog logs} (and the query API) selects. A {@code null} field does not filter.
 *
 * @param workerId only this worker's records
 * @param taskId only this task's records
 * @param minimumLevel only records at least this severe: DEBUG, INFO, WARNING, ERROR, CRITICAL
 * @param since only records the worker made at or after this time
 * @param until only records the worker made before this time
 * @param grep only records whose message contains this text, ignoring case
 * @param component only records of this component or below it, as levels per component name
 *     them: a record's {@code component}, else its {@code logger}, is this name, or starts with
 *     it and a dot ({@code diffusers} covers {@code diffusers.pipelines}), in any case
 * @param metadata only records whose metadata has each of these keys (top-level) with this value:
 *     {@code frame=12} matches the number 12 (and 12.0) and the string "12"; empty: no filter
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

  /**
   * A metadata value that is compared with stored numbers as a number; the same pattern is in
   * the queries (logs.sql). Its digits are bounded so that PostgreSQL's numeric always reads it.
   */
  static final Pattern NUMBER = Pattern.compile("-?[0-9]{1,100}(\\.[0-9]{1,100})?([eE][-+]?[0-9]{1,3})?");

  /** Records when no limit is given. */
  public static final int DEFAULT_LIMIT = 100;

  public LogFilter {
    if (minimumLevel != null && !LEVELS.contains(minimumLevel)) {
      throw new IllegalArgumentException(
          "unknown level '" + minimumLevel + "'; use one of " + String.join(", ", LEVELS));
    }
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive");
    }
    metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    for (Map.Entry<String, String> wanted : metadata.entrySet()) {
      if (wanted.getKey() == null || wanted.getKey().isEmpty() || wanted.getValue() == null) {
        throw new IllegalArgumentException("a metadata filter needs a key and a value (key=value)");
      }
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

  /**
   * Whether a record's metadata has every key of {@link #metadata} with its value; true where the
   * filter names none. As the store's queries read it: a string or boolean matches its text; a
   * number matches a value that reads as a number equal to it ({@code 24} matches 24.0); a null,
   * an object or a list matches nothing.
   */
  public boolean matchesMetadata(StoredRecord record) {
    return matchesMetadata(metadata, record);
  }

  /** Whether a record's metadata has every key of {@code wanted} with its value, as {@link #matchesMetadata(StoredRecord)}. */
  public static boolean matchesMetadata(Map<String, String> wanted, StoredRecord record) {
    if (wanted.isEmpty()) {
      return true;
    }
    Map<String, Object> values = record.metadataScalars(wanted.keySet());
    return wanted.entrySet().stream().allMatch(entry -> matches(values.get(entry.getKey()), entry.getValue()));
  }

  private static boolean matches(Object stored, String wanted) {
    if (stored instanceof BigDecimal number) {
      return NUMBER.matcher(wanted).matches() && number.compareTo(new BigDecimal(wanted)) == 0;
    }
    return wanted.equals(stored);
  }

  /**
   * A metadata filter from {@code key=value} texts ({@code model=wan2.1}), as the query API and
   * the live tail take them: split at the first {@code =}, the key trimmed, the value as it is;
   * blank texts are skipped, a later key replaces an earlier one.
   *
   * @throws IllegalArgumentException for a text without {@code =} or without a key
   */
  public static Map<String, String> metadataOf(List<String> keyValues) {
    Map<String, String> metadata = new LinkedHashMap<>();
    for (String keyValue : keyValues == null ? List.<String>of() : keyValues) {
      if (keyValue == null || keyValue.isBlank()) {
        continue;
      }
      int equals = keyValue.indexOf('=');
      if (equals <= 0 || keyValue.substring(0, equals).isBlank()) {
        throw new IllegalArgumentException("meta must be key=value, as model=wan2.1 (got '" + keyValue + "')");
      }
      metadata.put(keyValue.substring(0, equals).trim(), keyValue.substring(equals + 1));
    }
    return metadata;
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
