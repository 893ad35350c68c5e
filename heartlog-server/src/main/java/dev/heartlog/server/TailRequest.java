package dev.heartlog.server;

import dev.heartlog.store.LogFilter;
import dev.heartlog.store.StoredRecord;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * What one follower of the live tail asks for, read from the query of {@code /api/tail} (the
 * same for its server-sent events and its WebSocket): {@code worker}, {@code task}, {@code
 * level} (the least severe), {@code grep}, {@code component}, and {@code after}, the id of the
 * last record it has, to be sent what was stored since. Blank or missing parameters do not
 * filter.
 *
 * @param minimumLevel an index into {@link LogFilter#LEVELS}; 0 keeps every level
 * @param grep lowercased
 * @param afterId null: only what is stored from now on
 */
record TailRequest(String worker, String task, int minimumLevel, String grep, String component, Long afterId) {

  /**
   * @param queryParam a query parameter's value by its name, null when missing
   * @throws IllegalArgumentException for a level that is not one of {@link LogFilter#LEVELS}
   *     (or WARN), or an {@code after} that is not a whole number
   */
  static TailRequest of(UnaryOperator<String> queryParam) {
    String level = blank(queryParam.apply("level"));
    int minimumLevel = 0;
    if (level != null) {
      String name = level.toUpperCase(Locale.ROOT);
      minimumLevel = LogFilter.LEVELS.indexOf("WARN".equals(name) ? "WARNING" : name);
      if (minimumLevel < 0) {
        throw new IllegalArgumentException(
            "unknown level '" + level + "'; use one of " + String.join(", ", LogFilter.LEVELS));
      }
    }
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
        grep == null ? null : grep.toLowerCase(Locale.ROOT), blank(queryParam.apply("component")), afterId);
  }

  /** Whether this follower wants {@code record}. */
  boolean wants(StoredRecord record) {
    return (worker == null || worker.equals(record.workerId()))
        && (task == null || task.equals(record.taskId()))
        && LogFilter.LEVELS.indexOf(record.level()) >= minimumLevel
        && (grep == null || record.message().toLowerCase(Locale.ROOT).contains(grep))
        && (component == null || LogFilter.covers(component, record.component()));
  }

  /**
   * What the store is asked for on this follower's behalf: its worker, task, level and
   * component, at most {@code limit} records. The text is matched by {@link #wants}, as Java
   * lowercases it.
   */
  LogFilter storeFilter(int limit) {
    return new LogFilter(worker, task, minimumLevel == 0 ? null : LogFilter.LEVELS.get(minimumLevel),
        null, null, null, component, limit);
  }

  private static String blank(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
