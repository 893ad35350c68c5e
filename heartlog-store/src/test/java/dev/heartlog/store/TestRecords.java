package dev.heartlog.store;

import java.time.Instant;
import java.util.regex.Matcher;

/** Records written as a heartbeat's {@code logs_param} holds them, for tests that store a few by hand. */
final class TestRecords {

  private TestRecords() {}

  /** A record; {@code task} may be null, and a message's line ends are written as JSON writes them. */
  static String record(Instant at, String level, String message, String task) {
    return "{\"timestamp\": \"" + at + "\", \"level\": \"" + level + "\", \"message\": \"" + message.replace("\n", "\\n") + "\""
        + (task == null ? "" : ", \"task_id\": \"" + task + "\"") + "}";
  }

  /** A record whose metadata holds an exception, {@code exception} written as in JSON. */
  static String traced(Instant at, String level, String message, String task, String exception) {
    return withMetadata(at, level, message, task, "{\"exception\": \"" + exception + "\"}");
  }

  /** A record with this metadata, a JSON object. */
  static String withMetadata(Instant at, String level, String message, String task, String metadata) {
    return record(at, level, message, task).replaceFirst("}$", Matcher.quoteReplacement(", \"metadata\": " + metadata + "}"));
  }

  /** Records as one batch, a JSON array. */
  static String records(String... records) {
    return "[" + String.join(",", records) + "]";
  }
}
