package dev.heartlog.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The records OpenTelemetry's Python SDK prints with its {@code ConsoleLogExporter}, each a JSON
 * document indented over some twenty lines ({@code json.dumps(..., indent=4)}): {@code {}, then
 * {@code     "body": "Frame 3 failed",}, {@code     "severity_number": 17,}, ... and {@code }}.
 * Read a line at a time, a record was several: its first lines one INFO record, and from its
 * {@code "severity_text": "ERROR",} on another at that level, the next record's first lines
 * joined to its end. Here a document that begins so is held until its {@code }} and read as
 * the one line it stands for, which {@link StructuredLine} reads as the record it is ({@link
 * OpenTelemetryRecord}). Node.js's SDK ({@code ConsoleLogRecordExporter} of
 * {@code @opentelemetry/sdk-logs}) prints its records through {@code console.dir}, in JavaScript's
 * notation ({@code {}, {@code   resource: {}, ..., {@code   severityText: 'ERROR',}, ... {@code }}),
 * cut so too: such a document is read by {@link NodeInspectedValues} and passed on as one line of
 * JSON. A document that turns out to be no such record is given back as its lines.
 *
 * <p>One for each stream: it holds the document being read.
 */
final class OpenTelemetryConsoleLines {

  /** The line that begins a document, and the one that ends it. */
  private static final String START = "{";
  private static final String END = "}";
  /** The second line of a record's document: its body, the first field {@code to_json} writes. */
  private static final String BODY = "    \"body\": ";
  /**
   * The second line of a record of Node.js's SDK, which {@code console.dir} prints in JavaScript's
   * notation ({@link NodeInspectedValues}): its resource, or, in releases before the resource was
   * printed, its time.
   */
  private static final List<String> NODE_SECOND_LINES = List.of("  resource: {", "  timestamp: ");
  /**
   * The most lines of a document held before they are read as they are, as any lines: a record
   * has 18 lines, and one more for each attribute of its own and of the resource, which the SDK
   * keeps to 128 each by default.
   */
  private static final int MOST_DOCUMENT_LINES = 400;

  private static final JsonFactory JSON = new JsonFactory();

  /** The lines of the document read so far; null where none is being read. */
  private List<String> document;

  /**
   * The lines to read in place of this one: null for most lines, which are read as they are; none
   * while a document is being read; at its end, the record's one line, or the document's lines
   * where it is no record.
   */
  List<String> expand(String line) {
    if (document == null) {
      if (!line.equals(START)) {
        return null;
      }
      document = new ArrayList<>();
      document.add(line);
      return List.of();
    }
    document.add(line);
    if (document.size() == 2 && !line.startsWith(BODY) && NODE_SECOND_LINES.stream().noneMatch(line::startsWith)
        || document.size() > MOST_DOCUMENT_LINES) {
      return end();   // another document, or none
    }
    if (!line.equals(END)) {
      return List.of();
    }
    List<String> lines = end();
    if (lines.get(1).startsWith(BODY)) {
      String joined = joined(lines);
      Map<String, Object> fields = StructuredLine.object(joined);
      return fields != null && OpenTelemetryRecord.isRecord(fields) ? List.of(joined) : lines;
    }
    Object node = NodeInspectedValues.read(String.join("\n", lines));
    if (node instanceof Map<?, ?> map && OpenTelemetryRecord.isNodeRecord(fields(map))) {
      String json = json(map);
      return json != null ? List.of(json) : lines;
    }
    return lines;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> fields(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  /** The value as one line of JSON; null where it cannot be written so. */
  private static String json(Object value) {
    StringWriter text = new StringWriter();
    try (JsonGenerator generator = JSON.createGenerator(text)) {
      write(generator, value);
    } catch (IOException e) {
      return null;
    }
    return text.toString();
  }

  private static void write(JsonGenerator generator, Object value) throws IOException {
    if (value instanceof Map<?, ?> map) {
      generator.writeStartObject();
      for (Map.Entry<?, ?> field : map.entrySet()) {
        generator.writeFieldName(field.getKey().toString());
        write(generator, field.getValue());
      }
      generator.writeEndObject();
    } else if (value instanceof List<?> list) {
      generator.writeStartArray();
      for (Object each : list) {
        write(generator, each);
      }
      generator.writeEndArray();
    } else if (value instanceof Long number) {
      generator.writeNumber(number);
    } else if (value instanceof Double number) {
      generator.writeNumber(number);
    } else if (value instanceof Boolean bool) {
      generator.writeBoolean(bool);
    } else if (value == null) {
      generator.writeNull();
    } else {
      generator.writeString(value.toString());
    }
  }

  /** The lines of a document being read, to be read as they are: the stream has ended, or they were no record. */
  List<String> end() {
    List<String> lines = document == null ? List.of() : document;
    document = null;
    return lines;
  }

  /**
   * The document on one line: each line without its indent. JSON breaks its lines between its
   * tokens only, a line end within a text being written {@code \n}, so the document reads the same.
   */
  private static String joined(List<String> lines) {
    StringBuilder line = new StringBuilder(lines.size() * 40);
    for (String each : lines) {
      line.append(each.strip());
    }
    return line.toString();
  }
}
