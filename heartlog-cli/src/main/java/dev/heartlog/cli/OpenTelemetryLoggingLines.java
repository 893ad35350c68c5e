package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines of a Python worker whose logging OpenTelemetry's instrumentation formats ({@code
 * OTEL_PYTHON_LOG_CORRELATION=true}, or {@code LoggingInstrumentor().instrument(set_logging_format=True)}):
 * {@code %(asctime)s %(levelname)s [%(name)s] [%(filename)s:%(lineno)d] [trace_id=%(otelTraceID)s
 * span_id=%(otelSpanID)s resource.service.name=%(otelServiceName)s trace_sampled=%(otelTraceSampled)s]
 * - %(message)s}, and the same without {@code trace_sampled}, as releases before 0.39b0 wrote it.
 */
final class OpenTelemetryLoggingLines {

  /** What every such line holds, looked for before the pattern is tried. */
  private static final String TRACE_FIELDS = "] [trace_id=";

  private static final Pattern FORMAT = Pattern.compile(
      "(?<time>.{1,64}?) (?<level>" + PythonLoggingLines.PYTHON_LEVELS + ") \\[(?<logger>[^\\]]{1,200})\\] "
          + "\\[(?<file>[^\\]:]{1,300}):(?<line>\\d{1,9})\\] \\[trace_id=(?<trace>[0-9a-f]{1,32}) "
          + "span_id=(?<span>[0-9a-f]{1,16}) resource\\.service\\.name=(?<service>[^\\]]{0,200}?)"
          + "(?: trace_sampled=(?<sampled>True|False))?\\] - (?<message>.*)");

  /** What the instrumentation writes for the trace and the span of a record logged outside a span. */
  private static final String NO_SPAN = "0";
  /** The service's name where none is set: none, without a tracer provider; the SDK's, with one. */
  private static final List<String> NO_SERVICE = List.of("", "unknown_service");

  private OpenTelemetryLoggingLines() {}

  /**
   * A line in the instrumentation's format: its level, the message after {@code " - "}, its logger
   * as the record's {@code logger}, its {@code file} and {@code line}, and, where it was logged in
   * a span, the span's {@code trace_id} and {@code span_id} (as a Serilog line's are kept) and
   * {@code trace_sampled}; the service's name, where one is set, as {@code service}. Null for any
   * other line. Before, the logger was read but the rest of the prefix stayed in the message, each
   * with its own trace. The time has no zone, so the record keeps the time the line came.
   */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    if (line.length() < 70 || line.indexOf(TRACE_FIELDS) < 0) {
      return null;
    }
    Matcher matcher = FORMAT.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    metadata.put("logger", matcher.group("logger"));
    metadata.put("file", matcher.group("file"));
    metadata.put("line", Integer.parseInt(matcher.group("line")));
    String trace = matcher.group("trace");
    if (!trace.equals(NO_SPAN)) {
      metadata.put("trace_id", trace);
      metadata.put("span_id", matcher.group("span"));
      if (matcher.group("sampled") != null) {
        metadata.put("trace_sampled", matcher.group("sampled").equals("True"));
      }
    }
    String service = matcher.group("service");
    if (!NO_SERVICE.contains(service)) {
      metadata.put("service", service);
    }
    String message = matcher.group("message");
    return new ChildLineParser.Parsed(Level.fromName(matcher.group("level")), message, null, metadata,
        endsTask.test(message));
  }
}
