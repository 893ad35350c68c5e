package dev.heartlog.cli;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fields a logger prints after its message as {@code key=value} (Rust's tracing, Go's
 * zerolog console) or as JSON (zap's, winston's): which of them names the task.
 */
final class PrintedFields {

  /** The names a task goes by in structured loggers' fields: a job queue's job is the task. */
  static final List<String> TASK_NAMES = List.of("task_id", "taskId", "task", "job_id", "jobId");

  /**
   * A field naming the task, after a space or a brace ({@code task_id="t-42"}, {@code
   * {task_id=t-42 ...}}): the value quoted, as tracing writes a string, or bare ({@code job_id=42}).
   */
  private static final Pattern TASK_FIELD = Pattern.compile(
      "(?:^|[ {])(?:task_id|taskId|task|job_id|jobId)=(?:\"(?<quoted>(?:[^\"\\\\]|\\\\.)*)\"|(?<bare>[^\\s}\"]+))");

  private PrintedFields() {}

  /**
   * Takes the fields naming a task out of a record's fields (zap's, winston's), and gives the
   * first one's value that is not blank; null where none is.
   */
  static String takeTask(Map<String, Object> fields) {
    String task = null;
    for (String name : TASK_NAMES) {
      Object value = fields.remove(name);
      if (task == null && value != null && !value.toString().isBlank()) {
        task = value.toString();
      }
    }
    return task;
  }

  /** The value of the last field naming a task in {@code text}; null where none does. */
  static String task(String text) {
    if (!text.contains("=")) {
      return null;
    }
    Matcher field = TASK_FIELD.matcher(text);
    String task = null;
    while (field.find()) {
      task = field.group("quoted") != null ? field.group("quoted").replace("\\\"", "\"") : field.group("bare");
    }
    return task == null || task.isBlank() ? null : task;
  }
}
