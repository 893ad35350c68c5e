package dev.heartlog.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a task's records add up to: each worker's share of them and of its errors (a flood's count
 * as the errors it stands for), and how many records there are of each level. Summed from the
 * records themselves where a timeline holds them all, else from the store's counts
 * (task-workers.sql); both ways give the same.
 *
 * @param workers each worker's share, the one that logged first first
 * @param levels how many records of each level the task has, by level name
 */
record TaskCounts(List<TaskSummary> workers, Map<String, Long> levels) {

  /**
   * One worker's records of one level: a row of task-workers.sql, or one record. {@code errors}:
   * how many errors they are, a flood's count as the errors it stands for; 0 for other levels.
   */
  private record Part(String worker, String level, Instant firstAt, Instant lastAt, long records, long errors) {}

  static TaskCounts of(List<StoredRecord> records) {
    return sum(records.stream()
        .map(r -> new Part(r.workerId(), r.level(), r.timestamp(), r.timestamp(), 1, r.isError() ? r.occurrences() : 0))
        .toList());
  }

  /** The counts of task-workers.sql's rows. */
  static TaskCounts read(Queries q, String taskId) {
    return sum(q.query("task-workers", Map.of("task", taskId), TaskCounts::part));
  }

  private static Part part(ResultSet rs) throws SQLException {
    return new Part(rs.getString("source_id"), rs.getString("level"),
        rs.getTimestamp("first_at").toInstant(), rs.getTimestamp("last_at").toInstant(), rs.getLong("records"),
        rs.getLong("errors"));
  }

  private static TaskCounts sum(List<Part> parts) {
    Map<String, TaskSummary> shares = new LinkedHashMap<>();
    Map<String, Long> levels = new TreeMap<>(Comparator.comparingInt(TaskCounts::severity).thenComparing(l -> l));
    for (Part part : parts) {
      boolean error = part.level().equals("ERROR") || part.level().equals("CRITICAL");
      shares.merge(part.worker(),
          new TaskSummary(part.worker(), part.firstAt(), part.lastAt(), part.records(), part.errors(),
              error ? part.lastAt() : null),
          TaskCounts::together);
      levels.merge(part.level(), part.records(), Long::sum);
    }
    List<TaskSummary> byFirst = new ArrayList<>(shares.values());
    byFirst.sort(Comparator.comparing(TaskSummary::firstAt).thenComparing(TaskSummary::id));
    return new TaskCounts(List.copyOf(byFirst), levels);
  }

  private static TaskSummary together(TaskSummary a, TaskSummary b) {
    return new TaskSummary(a.id(),
        a.firstAt().isBefore(b.firstAt()) ? a.firstAt() : b.firstAt(),
        a.lastAt().isAfter(b.lastAt()) ? a.lastAt() : b.lastAt(),
        a.records() + b.records(),
        a.errors() + b.errors(),
        later(a.failedAt(), b.failedAt()));
  }

  /** The later of two times, either of which may be null. */
  private static Instant later(Instant a, Instant b) {
    return a == null ? b : b == null || a.isAfter(b) ? a : b;
  }

  /** The store's levels least severe first; any other after them. */
  private static int severity(String level) {
    int known = LogFilter.LEVELS.indexOf(level);
    return known >= 0 ? known : LogFilter.LEVELS.size();
  }
}
