package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The records OpenTelemetry's Python SDK prints with its {@code ConsoleLogExporter} ({@link
 * OpenTelemetryConsoleLines}, {@link OpenTelemetryRecord}), in the shape its {@code to_json()}
 * gives them (opentelemetry-sdk's source, {@code ReadableLogRecord.to_json}: {@code json.dumps}
 * with {@code indent=4}); the package is not installable here.
 */
class OpenTelemetryConsoleLinesTest {

  /** A record of the SDK's logging handler for {@code log.exception("frame 2 failed")} in a span. */
  static final String ERROR_RECORD = """
      {
          "body": "frame 2 failed",
          "severity_number": 17,
          "severity_text": "ERROR",
          "attributes": {
              "code.filepath": "/srv/worker.py",
              "code.function": "render",
              "code.lineno": 42,
              "task_id": "shot-12",
              "exception.type": "ValueError",
              "exception.message": "bad frame",
              "exception.stacktrace": "Traceback (most recent call last):\\n  File \\"/srv/worker.py\\", line 40, in render\\n    raise ValueError(\\"bad frame\\")\\nValueError: bad frame\\n"
          },
          "dropped_attributes": 0,
          "timestamp": "2026-12-08T03:40:00.123456Z",
          "observed_timestamp": "2026-12-08T03:40:00.123500Z",
          "trace_id": "0x7f3a2b1c4d5e6f708192a3b4c5d6e7f8",
          "span_id": "0x0af7651916cd43dd",
          "trace_flags": 1,
          "resource": {
              "attributes": {
                  "telemetry.sdk.language": "python",
                  "telemetry.sdk.name": "opentelemetry",
                  "telemetry.sdk.version": "1.39.0",
                  "service.name": "render-worker"
              },
              "schema_url": ""
          },
          "event_name": ""
      }""";

  /** A record logged outside a span, with no service's name set, as an older SDK printed its severity. */
  static final String INFO_RECORD = """
      {
          "body": "frame 1 done",
          "severity_number": "<SeverityNumber.INFO: 9>",
          "severity_text": null,
          "attributes": {
              "code.filepath": "/srv/worker.py",
              "code.function": "render",
              "code.lineno": 37
          },
          "dropped_attributes": 0,
          "timestamp": null,
          "observed_timestamp": "2026-12-08T03:39:59.5Z",
          "trace_id": "0x00000000000000000000000000000000",
          "span_id": "0x0000000000000000",
          "trace_flags": 0,
          "resource": {
              "attributes": {
                  "telemetry.sdk.language": "python",
                  "service.name": "unknown_service"
              },
              "schema_url": ""
          }
      }""";

  /**
   * A record of Node.js's SDK (@opentelemetry/sdk-logs 0.223.1 from npm, Node.js 20), as its
   * {@code ConsoleLogRecordExporter} printed it here for {@code logger.emit(...)} in a span.
   */
  static final String NODE_RECORD = """
      {
        resource: {
          attributes: {
            'service.name': 'unknown_service:node',
            'telemetry.sdk.language': 'nodejs',
            'telemetry.sdk.name': 'opentelemetry',
            'telemetry.sdk.version': '2.12.1'
          }
        },
        instrumentationScope: { name: 'render-worker', version: '1.2.0', schemaUrl: undefined },
        timestamp: 1796704641112000,
        traceId: 'af5ce23816c4feabb713ee1dc84ef4d3',
        spanId: '5f50e181ec7bc621',
        traceFlags: 1,
        severityText: 'WARN',
        severityNumber: 13,
        eventName: undefined,
        body: "VRAM at 95% on 'gpu0'",
        attributes: { task_id: 'shot-12', vram_gib: 76.5, gpus: [ 'gpu0', 'gpu1' ] }
      }""";

  /** The same SDK's record of an error outside a span, its stack trace a text of several lines. */
  static final String NODE_ERROR_RECORD = """
      {
        resource: {
          attributes: {
            'service.name': 'unknown_service:node',
            'telemetry.sdk.language': 'nodejs',
            'telemetry.sdk.name': 'opentelemetry',
            'telemetry.sdk.version': '2.12.1'
          }
        },
        instrumentationScope: { name: 'render-worker', version: undefined, schemaUrl: undefined },
        timestamp: 1796704545774000,
        traceId: undefined,
        spanId: undefined,
        traceFlags: undefined,
        severityText: 'ERROR',
        severityNumber: 17,
        eventName: undefined,
        body: 'frame 2 failed\nsecond line',
        attributes: {
          'exception.type': 'Error',
          'exception.message': 'bad frame',
          'exception.stacktrace': 'Error: bad frame\n' +
            '    at Object.<anonymous> (/tmp/otjs/t5.js:5:13)\n' +
            '    at Module._compile (node:internal/modules/cjs/loader:1521:14)'
        }
      }""";

  private final OpenTelemetryConsoleLines lines = new OpenTelemetryConsoleLines();
  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  /** The lines read in place of these, as heartlog run reads them. */
  private List<String> expanded(String text) {
    List<String> read = new ArrayList<>();
    for (String line : text.lines().toList()) {
      List<String> expanded = lines.expand(line);
      if (expanded == null) {
        read.add(line);
      } else {
        read.addAll(expanded);
      }
    }
    read.addAll(lines.end());
    return read;
  }

  @Test
  void aRecordsDocumentIsReadAsOneLineTheRecordItIs() {
    List<String> read = expanded(ERROR_RECORD + "\n" + INFO_RECORD);
    assertThat(read).hasSize(2);

    ChildLineParser.Parsed error = parser.parse(read.get(0), Level.INFO, "stdout");
    assertThat(error.level()).isEqualTo(Level.ERROR);
    assertThat(error.message()).isEqualTo("frame 2 failed");
    assertThat(error.task()).isEqualTo("shot-12");
    assertThat(error.time()).isEqualTo(Instant.parse("2026-12-08T03:40:00.123456Z"));
    assertThat(error.metadata())
        .containsEntry("exception", "Traceback (most recent call last):\n  File \"/srv/worker.py\", line 40, in render\n"
            + "    raise ValueError(\"bad frame\")\nValueError: bad frame")
        .containsEntry("file", "/srv/worker.py").containsEntry("line", 42).containsEntry("function", "render")
        .containsEntry("trace_id", "7f3a2b1c4d5e6f708192a3b4c5d6e7f8").containsEntry("span_id", "0af7651916cd43dd")
        .containsEntry("trace_sampled", true).containsEntry("service", "render-worker")
        .doesNotContainKeys("exception.type", "exception.message", "resource", "severity_number", "body",
            "observed_timestamp", "dropped_attributes", "event_name", "trace_flags");

    ChildLineParser.Parsed info = parser.parse(read.get(1), Level.WARNING, "stderr");
    assertThat(info.level()).as("the older SDK's severity number").isEqualTo(Level.INFO);
    assertThat(info.message()).isEqualTo("frame 1 done");
    assertThat(info.time()).as("observed, where it has no time of its own").isEqualTo(Instant.parse("2026-12-08T03:39:59.5Z"));
    assertThat(info.metadata()).containsEntry("line", 37)
        .doesNotContainKeys("trace_id", "span_id", "trace_sampled", "service");
  }

  @Test
  void aRecordOfNodeJssSdkIsReadAsTheRecordItIs() {
    List<String> read = expanded(NODE_RECORD + "\n" + NODE_ERROR_RECORD);
    assertThat(read).hasSize(2);

    ChildLineParser.Parsed warning = parser.parse(read.get(0), Level.INFO, "stdout");
    assertThat(warning.level()).isEqualTo(Level.WARNING);
    assertThat(warning.message()).isEqualTo("VRAM at 95% on 'gpu0'");
    assertThat(warning.task()).isEqualTo("shot-12");
    assertThat(warning.time()).isEqualTo(Instant.parse("2026-12-08T04:37:21.112Z"));
    assertThat(warning.metadata()).containsEntry("logger", "render-worker").containsEntry("vram_gib", 76.5)
        .containsEntry("gpus", List.of("gpu0", "gpu1"))
        .containsEntry("trace_id", "af5ce23816c4feabb713ee1dc84ef4d3").containsEntry("span_id", "5f50e181ec7bc621")
        .containsEntry("trace_sampled", true)
        .doesNotContainKeys("service", "resource", "instrumentationScope", "severityNumber", "body");

    ChildLineParser.Parsed error = parser.parse(read.get(1), Level.INFO, "stdout");
    assertThat(error.level()).isEqualTo(Level.ERROR);
    assertThat(error.message()).isEqualTo("frame 2 failed\nsecond line");
    assertThat(error.metadata()).containsEntry("exception", "Error: bad frame\n"
            + "    at Object.<anonymous> (/tmp/otjs/t5.js:5:13)\n"
            + "    at Module._compile (node:internal/modules/cjs/loader:1521:14)")
        .doesNotContainKeys("trace_id", "span_id", "trace_sampled");
  }

  @Test
  void anObjectNodeJsPrintsThatIsNoRecordIsGivenBackAsItsLines() {
    String job = """
        {
          timestamp: 1796704545774000,
          job: 'render',
          frames: [Object]
        }""";
    assertThat(expanded(job)).containsExactlyElementsOf(job.lines().toList());
    String resource = """
        {
          resource: { name: 'gpu0' },
          free: 12
        }""";
    assertThat(expanded(resource)).containsExactlyElementsOf(resource.lines().toList());
  }

  @Test
  void aDocumentThatIsNoRecordIsGivenBackAsItsLines() {
    String config = """
        {
            "model": "wan2.1",
            "steps": 30
        }""";
    assertThat(expanded(config)).containsExactlyElementsOf(config.lines().toList());

    String bodyAlone = """
        {
            "body": "a request's body",
            "status": 400
        }""";
    assertThat(expanded(bodyAlone)).as("a body, but no record's other fields").containsExactlyElementsOf(bodyAlone.lines().toList());

    assertThat(expanded("{\nnot json\n}")).containsExactly("{", "not json", "}");
    assertThat(expanded("rendering {\n}")).containsExactly("rendering {", "}");
  }

  @Test
  void aDocumentTheStreamEndsInIsGivenBackAsItsLines() {
    List<String> cut = ERROR_RECORD.lines().limit(5).toList();
    assertThat(expanded(String.join("\n", cut))).containsExactlyElementsOf(cut);
  }

  @Test
  void aSeverityNumberAloneGivesTheLevelOfItsRange() {
    String warning = "{\"body\": \"VRAM nearly full\", \"severity_number\": 13, \"severity_text\": null, "
        + "\"observed_timestamp\": \"2026-12-08T03:40:00Z\"}";
    assertThat(parser.parse(warning, Level.INFO, "stdout").level()).isEqualTo(Level.WARNING);
    String fatal = warning.replace("13", "21");
    assertThat(parser.parse(fatal, Level.INFO, "stdout").level()).isEqualTo(Level.CRITICAL);
  }

  @Test
  void aBodyThatIsNoTextStaysAField() {
    String line = "{\"body\": {\"frame\": 3, \"state\": \"done\"}, \"severity_number\": 9, \"severity_text\": \"INFO\", "
        + "\"observed_timestamp\": \"2026-12-08T03:40:00Z\"}";
    ChildLineParser.Parsed read = parser.parse(line, Level.INFO, "stdout");
    assertThat(read.message()).isEqualTo(line);
    assertThat(read.metadata()).containsEntry("message", Map.of("frame", 3, "state", "done"));
  }
}
