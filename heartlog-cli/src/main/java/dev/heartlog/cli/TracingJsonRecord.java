package dev.heartlog.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A line of Rust's tracing-subscriber in its JSON format ({@code tracing_subscriber::fmt().json()}):
 * {@code {"timestamp": "...", "level": "INFO", "fields": {"message": "rendering", "frames": 81},
 * "target": "render", "span": {...}, "spans": [{"name": "task", "task_id": "t-42"}]}}, the
 * event's message and fields nested in {@code fields}. Its fields are laid out as other
 * structured loggers name them, for {@link StructuredLine} to read: the event's fields at the
 * top, the target as the logger, and a {@code task_id} (or {@code task}, {@code job_id}) of the
 * innermost span that has one as the task, where the event names none. The spans stay, in
 * {@code spans}; {@code span}, the innermost of them again, is left out.
 */
final class TracingJsonRecord {

  private TracingJsonRecord() {}

  /** The fields of a tracing event laid out flat; null for an object that is not one. */
  static Map<String, Object> flatten(Map<String, Object> fields, List<String> taskFields) {
    if (!(fields.get("fields") instanceof Map<?, ?> event) || !fields.containsKey("target")
        || !fields.containsKey("level") || fields.containsKey("message")) {
      return null;
    }
    Map<String, Object> flat = new LinkedHashMap<>();
    flat.put("level", fields.get("level"));
    event.forEach((key, value) -> flat.put(key.toString(), value));
    flat.putIfAbsent("logger", fields.get("target"));
    if (fields.get("spans") instanceof List<?> spans) {
      if (taskFields.stream().noneMatch(flat::containsKey)) {
        Object task = innermostTask(spans, taskFields);
        if (task != null) {
          flat.put(taskFields.get(0), task);
        }
      }
      flat.put("spans", spans);
    }
    fields.forEach((key, value) -> {
      if (!key.equals("fields") && !key.equals("target") && !key.equals("span") && !key.equals("spans")) {
        flat.putIfAbsent(key, value);
      }
    });
    flat.values().removeIf(value -> value == null);
    return flat;
  }

  /** The task the innermost span naming one names; null where none does. */
  private static Object innermostTask(List<?> spans, List<String> taskFields) {
    for (int i = spans.size() - 1; i >= 0; i--) {
      if (spans.get(i) instanceof Map<?, ?> span) {
        for (String name : taskFields) {
          if (span.get(name) != null) {
            return span.get(name);
          }
        }
      }
    }
    return null;
  }
}
