package dev.heartlog.store;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The heartbeats sent while a task was current, as heartbeats.sql keeps them: all of them,
 * or past {@value #POINTS}, of each worker's heartbeats in each of {@value #POINTS} spans of them
 * in the order they came, the one of the most VRAM used.
 *
 * @param points the heartbeats kept, oldest first
 * @param sent how many heartbeats were sent while the task was current
 */
record TaskHeartbeats(List<HeartbeatPoint> points, long sent) {

  /** The spans a task's heartbeats are cut into past as many: more than a chart's width in pixels. */
  static final int POINTS = 1_000;

  private record Row(HeartbeatPoint point, long sent) {}

  static TaskHeartbeats read(Queries q, String taskId) {
    List<Row> rows = q.query("heartbeats", heartbeatsOf(taskId, null, null, POINTS),
        rs -> new Row(Rows.heartbeatPoint(rs), rs.getLong("sent")));
    return new TaskHeartbeats(rows.stream().map(Row::point).toList(), rows.isEmpty() ? 0 : rows.get(0).sent());
  }

  /** The values of heartbeats.sql: a task's heartbeats, or a worker's since a time. */
  static Map<String, Object> heartbeatsOf(String taskId, String workerId, Instant since, int points) {
    Map<String, Object> values = new HashMap<>();
    values.put("task", taskId);
    values.put("worker", workerId);
    values.put("since", since);
    values.put("points", points);
    return values;
  }
}
