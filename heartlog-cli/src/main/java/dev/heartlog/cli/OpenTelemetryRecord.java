package dev.heartlog.cli;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A log record as OpenTelemetry's Python SDK prints it with its {@code ConsoleLogExporter} (what
 * {@code opentelemetry-instrument --logs_exporter console} sets up): the record's {@code to_json()},
 * {@code {"body": "Frame 3 failed", "severity_number": 17, "severity_text": "ERROR", "attributes":
 * {"code.filepath": "/srv/worker.py", "code.lineno": 42, "exception.stacktrace": "Traceback ..."},
 * "timestamp": "2026-12-08T03:40:00.123456Z", "observed_timestamp": "...", "trace_id": "0x7f3a...",
 * "span_id": "0x0af7...", "trace_flags": 1, "resource": {"attributes": {"service.name":
 * "render-worker", ...}}}}, indented over some twenty lines ({@link OpenTelemetryConsoleLines}
 * joins them). Its fields are laid out as other structured loggers name them, for {@link
 * StructuredLine} to read: the level ({@code severity_text}, else the level {@code
 * severity_number}'s range stands for), the message ({@code body}), the time, the exception the
 * SDK's logging handler puts in {@code exception.stacktrace}, and {@code file}, {@code line} and
 * {@code function} where {@code attributes} say where it was logged; the record's other attributes
 * stay, a {@code task_id} of the worker's ({@code extra=}) among them the task. As for the lines
 * of OpenTelemetry's logging format ({@link OpenTelemetryLoggingLines}), {@code trace_id}, {@code
 * span_id} and {@code trace_sampled} are kept for a record logged in a span, without the {@code
 * 0x} the SDK puts in front, and the service's name as {@code service} where one is set; the
 * resource's other attributes, the SDK's name and version, are the same on every record and left
 * out. Node.js's SDK prints the same fields in camel case ({@code severityText}, {@code traceId}),
 * its time in microseconds, and its logger's name in {@code instrumentationScope}, which becomes
 * the record's {@code logger} ({@link #isNodeRecord}).
 */
final class OpenTelemetryRecord {

  /** The fields only the SDK's records have, all of which a record has. */
  private static final List<String> RECORD_FIELDS = List.of("body", "severity_number", "observed_timestamp");
  /** Those of Node.js's SDK's records, which {@code console.dir} prints even where they are {@code undefined}. */
  private static final List<String> NODE_RECORD_FIELDS = List.of("body", "severityNumber", "timestamp", "traceFlags");

  /** Where an attribute says the record was logged, as the SDK's logging handler names it (older and newer), and the field it becomes. */
  private static final Map<String, String> PLACE_ATTRIBUTES = Map.of(
      "code.filepath", "file", "code.file.path", "file",
      "code.lineno", "line", "code.line.number", "line",
      "code.function", "function", "code.function.name", "function");

  /** A severity number as older SDKs printed it, its enum's {@code repr}. */
  private static final Pattern SEVERITY_ENUM = Pattern.compile("<SeverityNumber\\.\\w{1,10}: (?<number>\\d{1,2})>");

  /** The service's name the SDK gives where none is set ({@code unknown_service}, or it with the program's name). */
  private static final String NO_SERVICE = "unknown_service";

  private OpenTelemetryRecord() {}

  /** Whether the object is such a record. */
  static boolean isRecord(Map<String, Object> fields) {
    return fields.keySet().containsAll(RECORD_FIELDS);
  }

  /**
   * Whether the object is a record as Node.js's SDK prints it ({@code ConsoleLogRecordExporter},
   * through {@code console.dir}, read by {@link NodeInspectedValues}): the same fields named in
   * camel case, the time in microseconds, the logger's name in {@code instrumentationScope}.
   */
  static boolean isNodeRecord(Map<String, Object> fields) {
    return fields.keySet().containsAll(NODE_RECORD_FIELDS);
  }

  /** The fields of such a record laid out flat; null for an object that is not one. */
  static Map<String, Object> flatten(Map<String, Object> object) {
    Map<String, Object> fields = isRecord(object) ? object : isNodeRecord(object) ? fromNode(object) : null;
    if (fields == null) {
      return null;
    }
    Map<String, Object> flat = new LinkedHashMap<>();
    flat.put("level", fields.get("severity_text") instanceof String text && !text.isBlank() ? text
        : levelOf(fields.get("severity_number")));
    flat.put("message", fields.get("body"));
    flat.put("time", fields.get("timestamp") != null ? fields.get("timestamp") : fields.get("observed_timestamp"));
    if (fields.get("attributes") instanceof Map<?, ?> attributes) {
      Object stackTrace = attributes.get("exception.stacktrace");
      boolean traced = stackTrace instanceof String text && !text.isBlank();
      if (traced) {
        flat.put("exception", stackTrace.toString().strip());
      }
      attributes.forEach((key, value) -> {
        String name = key.toString();
        // The exception's type and message are the trace's last line.
        if (!traced || !name.startsWith("exception.")) {
          flat.putIfAbsent(PLACE_ATTRIBUTES.getOrDefault(name, name), value);
        }
      });
    }
    String trace = spanId(fields.get("trace_id"));
    if (trace != null) {
      flat.put("trace_id", trace);
      flat.put("span_id", spanId(fields.get("span_id")));
      if (fields.get("trace_flags") instanceof Number flags) {
        flat.put("trace_sampled", (flags.intValue() & 1) == 1);
      }
    }
    if (fields.get("resource") instanceof Map<?, ?> resource && resource.get("attributes") instanceof Map<?, ?> attributes
        && attributes.get("service.name") instanceof String service && !service.startsWith(NO_SERVICE)) {
      flat.put("service", service);
    }
    if (fields.get("dropped_attributes") instanceof Number dropped && dropped.intValue() > 0) {
      flat.put("dropped_attributes", dropped);
    }
    if (fields.get("event_name") instanceof String event && !event.isEmpty()) {
      flat.put("event_name", event);
    }
    if (fields.get("instrumentationScope") instanceof Map<?, ?> scope && scope.get("name") instanceof String logger) {
      flat.put("logger", logger);
    }
    flat.values().removeIf(value -> value == null);
    return flat;
  }

  /** A record of Node.js's SDK with the Python SDK's names, its time as a text. */
  private static Map<String, Object> fromNode(Map<String, Object> node) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("body", node.get("body"));
    fields.put("severity_number", node.get("severityNumber"));
    fields.put("severity_text", node.get("severityText"));
    fields.put("attributes", node.get("attributes"));
    if (node.get("timestamp") instanceof Number micros) {
      long value = micros.longValue();
      fields.put("timestamp", Instant.ofEpochSecond(value / 1_000_000, value % 1_000_000 * 1_000).toString());
    }
    fields.put("trace_id", node.get("traceId"));
    fields.put("span_id", node.get("spanId"));
    fields.put("trace_flags", node.get("traceFlags"));
    fields.put("resource", node.get("resource"));
    fields.put("event_name", node.get("eventName"));
    fields.put("instrumentationScope", node.get("instrumentationScope"));
    return fields;
  }

  /**
   * The level a severity number stands for, by the ranges OpenTelemetry's data model gives them
   * (1–4 TRACE, 5–8 DEBUG, 9–12 INFO, 13–16 WARN, 17–20 ERROR, 21–24 FATAL); older SDKs printed
   * it as its enum ({@code "<SeverityNumber.ERROR: 17>"}). Null for none.
   */
  private static String levelOf(Object severity) {
    int number;
    Matcher enumText = severity instanceof String text ? SEVERITY_ENUM.matcher(text) : null;
    if (severity instanceof Number given) {
      number = given.intValue();
    } else if (enumText != null && enumText.matches()) {
      number = Integer.parseInt(enumText.group("number"));
    } else {
      return null;
    }
    if (number < 1 || number > 24) {
      return null;
    }
    return List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL").get((number - 1) / 4);
  }

  /** A trace's or span's id without the SDK's {@code 0x}; null for none, or the zeros of a record logged outside a span. */
  private static String spanId(Object value) {
    if (!(value instanceof String text)) {
      return null;
    }
    String id = text.startsWith("0x") ? text.substring(2) : text;
    return id.isEmpty() || id.chars().allMatch(c -> c == '0') ? null : id;
  }
}
