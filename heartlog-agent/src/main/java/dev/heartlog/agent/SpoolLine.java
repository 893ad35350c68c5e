package dev.heartlog.agent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * One batch as the {@link Spool} keeps it: a line {@code <crc32> <json>}, whose JSON holds the
 * batch's session, number and count of buffered records, and its records exactly as they are
 * sent. Read back, the records are parsed again from the wire format.
 */
final class SpoolLine {

  private static final JsonFactory JSON = new JsonFactory();
  /** What comes between a batch's numbers and its records. */
  private static final String LOGS_FIELD = ",\"logs\":";

  private SpoolLine() {}

  /** A batch as a spool line: its checksum, a space, its JSON and a newline. */
  static byte[] encode(Batch batch) {
    byte[] json = json(batch).getBytes(StandardCharsets.UTF_8);
    CRC32 crc = new CRC32();
    crc.update(json);
    byte[] prefix = String.format("%08x ", crc.getValue()).getBytes(StandardCharsets.US_ASCII);
    byte[] line = new byte[prefix.length + json.length + 1];
    System.arraycopy(prefix, 0, line, 0, prefix.length);
    System.arraycopy(json, 0, line, prefix.length, json.length);
    line[line.length - 1] = '\n';
    return line;
  }

  /** The batch of a line, or null when the line is torn or damaged. */
  static Batch decode(byte[] line) {
    if (line.length < 10 || line[8] != ' ') {
      return null;
    }
    CRC32 crc = new CRC32();
    crc.update(line, 9, line.length - 9);
    String expected = new String(line, 0, 8, StandardCharsets.US_ASCII);
    if (!expected.equals(String.format("%08x", crc.getValue()))) {
      return null;
    }
    try {
      return parseJson(new String(line, 9, line.length - 9, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * What a line cut short still holds (the process writing it died, or the machine lost power
   * before its last writes reached the disk).
   *
   * @param readable whether the batch's session and number were read, so what it lost is known
   * @param batch the records that got on disk whole, as written, in their batch (its session and
   *     number); null where none did
   * @param recordCut whether a record after them was begun and cut
   */
  record Salvaged(boolean readable, Batch batch, boolean recordCut) {

    /** What a line holds whose session and number cannot be read: nothing known. */
    static final Salvaged UNREADABLE = new Salvaged(false, null, false);
  }

  /**
   * Reads a line cut short: its session and number, and each of its records up to the first one
   * cut or unreadable. A record ends only with its closing brace, so one cut anywhere before it,
   * or holding the zeros a power loss leaves, is not read.
   */
  static Salvaged salvage(byte[] cutShort) {
    if (cutShort.length < 10 || cutShort[8] != ' ') {
      return Salvaged.UNREADABLE;
    }
    String line = new String(cutShort, 9, cutShort.length - 9, StandardCharsets.UTF_8);
    int logsAt = line.indexOf(LOGS_FIELD);
    if (!line.startsWith("{") || logsAt < 0) {
      return Salvaged.UNREADABLE;
    }
    Header header;
    try {
      header = header(line.substring(0, logsAt));
    } catch (IllegalArgumentException unreadable) {
      return Salvaged.UNREADABLE;
    }
    String logs = line.substring(logsAt + LOGS_FIELD.length());
    List<LogRecord> records = new ArrayList<>();
    int end = 0;   // just past the last whole record
    boolean inRecord = false;
    try (JsonParser parser = JSON.createParser(logs)) {
      if (parser.nextToken() == JsonToken.START_ARRAY) {
        while (parser.nextToken() == JsonToken.START_OBJECT) {
          inRecord = true;
          records.add(parseRecord(parser));
          inRecord = false;
          end = (int) parser.currentLocation().getCharOffset();
        }
      }
    } catch (IOException | RuntimeException cut) {
      // The records before the cut are whole; the rest did not get on disk.
    }
    Batch batch = records.isEmpty() ? null
        : new Batch(header.sessionId(), header.sequence(), records, List.of(), logs.substring(0, end) + "]", header.buffered());
    return new Salvaged(true, batch, inRecord);
  }

  /** About how many records a damaged line held, for the drop it is counted as: at least one. */
  static long recordsIn(byte[] line) {
    String text = new String(line, StandardCharsets.UTF_8);
    String needle = "\"timestamp\"";
    long count = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      count++;
    }
    return Math.max(count, 1);
  }

  /**
   * A batch as the JSON of its spool line: {@code {"session_id":..,"batch_seq":..,"buffered":..,"logs":[..]}},
   * the logs exactly as they are sent.
   */
  private static String json(Batch batch) {
    StringWriter out = new StringWriter(batch.logsJson().length() + 96);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("session_id", batch.sessionId());
      json.writeNumberField("batch_seq", batch.sequence());
      json.writeNumberField("buffered", batch.bufferedCount());
      json.writeFieldName("logs");
      json.writeRawValue(batch.logsJson());
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /**
   * Reads a spool line written by {@link #json(Batch)} back into a batch.
   *
   * @throws IllegalArgumentException when the line is not such a batch
   */
  private static Batch parseJson(String line) {
    int logsAt = line.indexOf(LOGS_FIELD);
    if (!line.startsWith("{") || logsAt < 0 || !line.endsWith("}")) {
      throw new IllegalArgumentException("not a spooled batch");
    }
    String logs = line.substring(logsAt + LOGS_FIELD.length(), line.length() - 1);
    Header header = header(line.substring(0, logsAt));
    return new Batch(header.sessionId(), header.sequence(), parseRecords(logs), List.of(), logs, header.buffered());
  }

  /** What a spool line says of its batch before its records. */
  private record Header(String sessionId, long sequence, int buffered) {}

  /**
   * Reads the fields before the records: {@code {"session_id":..,"batch_seq":..,"buffered":..}}
   * without its closing brace.
   *
   * @throws IllegalArgumentException when they are not a batch's
   */
  private static Header header(String fields) {
    String sessionId = null;
    long sequence = -1;
    int buffered = 0;
    try (JsonParser parser = JSON.createParser(fields + "}")) {
      parser.nextToken();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        if (field.equals("session_id")) {
          sessionId = parser.getText();
        } else if (field.equals("batch_seq")) {
          sequence = parser.getLongValue();
        } else if (field.equals("buffered")) {
          buffered = parser.getIntValue();
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("not a spooled batch", e);
    }
    if (sessionId == null || sequence < 0) {
      throw new IllegalArgumentException("spooled batch lacks its session or number");
    }
    return new Header(sessionId, sequence, buffered);
  }

  /** Reads records in the wire format back; for spooled batches. */
  static List<LogRecord> parseRecords(String logsJson) {
    List<LogRecord> records = new ArrayList<>();
    try (JsonParser parser = JSON.createParser(logsJson)) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        throw new IllegalArgumentException("logs must be a JSON array");
      }
      while (parser.nextToken() == JsonToken.START_OBJECT) {
        records.add(parseRecord(parser));
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable logs: " + e.getMessage(), e);
    }
    return records;
  }

  private static LogRecord parseRecord(JsonParser parser) throws IOException {
    Instant timestamp = null;
    long sequence = 0;
    Level level = Level.INFO;
    String message = "";
    String taskId = null;
    Map<String, Object> metadata = Map.of();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "timestamp" -> timestamp = Instant.parse(parser.getText());
        case "seq" -> sequence = parser.getLongValue();
        case "level" -> level = Level.fromName(parser.getText());
        case "message" -> message = parser.getText();
        case "task_id" -> taskId = value == JsonToken.VALUE_NULL ? null : parser.getText();
        case "metadata" -> metadata = parseMap(parser);
        default -> parser.skipChildren();
      }
    }
    return new LogRecord(timestamp == null ? Instant.EPOCH : timestamp, sequence, level, message, taskId, metadata);
  }

  private static Map<String, Object> parseMap(JsonParser parser) throws IOException {
    Map<String, Object> map = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      parser.nextToken();
      map.put(key, parseValue(parser));
    }
    return map;
  }

  /**
   * A number with a fraction or an exponent as RecordJson wrote it: a double where the double
   * writes the same value again (0.1, 2.5E-7), else the decimal itself, which a double would
   * change (a BigDecimal of 30 digits; one beyond a double's range).
   */
  private static Number decimal(BigDecimal exact) {
    double value = exact.doubleValue();
    return Double.isFinite(value) && new BigDecimal(Double.toString(value)).compareTo(exact) == 0 ? value : exact;
  }

  private static Object parseValue(JsonParser parser) throws IOException {
    switch (parser.currentToken()) {
      case START_OBJECT:
        return parseMap(parser);
      case START_ARRAY:
        List<Object> list = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          list.add(parseValue(parser));
        }
        return list;
      case VALUE_NUMBER_INT:   // as RecordJson wrote it: a long, or a BigInteger beyond
        return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? parser.getBigIntegerValue() : parser.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return decimal(parser.getDecimalValue());
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        return parser.getText();
    }
  }
}
