package dev.heartlog.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.heartlog.agent.StorableText;
import dev.heartlog.store.IngestCall;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;

/**
 * The named arguments of an RPC call to {@code func_worker_heartbeat_with_logs}, read from the
 * request body and cleaned of what PostgreSQL would refuse: NUL characters and broken surrogate
 * pairs (one of them fails the whole call, heartbeat included), strings longer than
 * {@link #MAX_STRING_CHARS}, JSON nested deeper than {@link #MAX_DEPTH}. Deployed Python workers
 * do not clean their records; this is where their records are made safe.
 */
final class IngestRequest {

  /** Longest string kept anywhere in a request; longer ones are cut with a marker. */
  static final int MAX_STRING_CHARS = 64 * 1024;
  /** Deepest JSON nesting kept in logs and metadata; deeper values become a marker. */
  static final int MAX_DEPTH = 16;

  // NaN and Infinity: what Python's json.dumps writes for such a float by default (a training
  // loss gone NaN, in the heartbeat of a worker that posts its own JSON). PostgreSQL's JSON has no
  // such numbers, so they are kept as the strings "NaN", "Infinity", "-Infinity" (copy below).
  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(100_000).build())
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  private static final Set<String> ARGUMENTS = Set.of("worker_id_param", "vram_total_mb_param", "vram_used_mb_param",
      "logs_param", "current_task_id_param", "status_param", "session_id_param", "batch_seq_param", "metadata_param");

  private IngestRequest() {}

  /**
   * @throws PostgrestError 400 for a body that is not a JSON object or has a value of the wrong
   *     type, 404 {@code PGRST202} for arguments no function takes
   */
  static IngestCall parse(byte[] body) {
    Set<String> given = new TreeSet<>();
    String workerId = null;
    Long vramTotal = null;
    Long vramUsed = null;
    VramFigures vram = new VramFigures();
    String logs = null;
    String task = null;
    String status = null;
    String session = null;
    Long batch = null;
    String metadata = null;
    ProblemTally problems = new ProblemTally();
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw PostgrestError.badRequest("PGRST102", "The request body must be a JSON object of named arguments");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        given.add(name);
        switch (name) {
          case "worker_id_param" -> workerId = text(parser, name);
          case "vram_total_mb_param" -> vramTotal = vram.read(parser, name);
          case "vram_used_mb_param" -> vramUsed = vram.read(parser, name);
          case "logs_param" -> logs = logs(parser, body, ProblemTally.metadataTakesCounts(metadata) ? problems : null);
          case "current_task_id_param" -> task = text(parser, name);
          case "status_param" -> status = text(parser, name);
          case "session_id_param" -> session = text(parser, name);
          case "batch_seq_param" -> batch = integer(parser, name);
          case "metadata_param" -> metadata = cleanJson(parser, body, null);
          default -> parser.skipChildren();
        }
      }
      // The batch's warnings and errors, counted on the way, for fleet health.
      metadata = problems.metadataWith(vram.metadataWith(metadata));
    } catch (IOException e) {
      throw PostgrestError.badRequest("PGRST102", "Invalid JSON in the request body: " + firstLine(e.getMessage()));
    }
    if (!ARGUMENTS.containsAll(given) || !given.contains("worker_id_param")) {
      throw PostgrestError.functionNotFound(String.join(", ", given));
    }
    return new IngestCall(workerId, vramTotal, vramUsed, logs, task, status, session, batch, metadata);
  }

  private static String text(JsonParser parser, String name) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (!token.isScalarValue()) {
      throw PostgrestError.badRequest("22P02", name + " must be a string");
    }
    return StorableText.clean(parser.getText(), MAX_STRING_CHARS);
  }

  private static Long integer(JsonParser parser, String name) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token == JsonToken.VALUE_NUMBER_INT) {
      return parser.getLongValue();
    }
    if (token == JsonToken.VALUE_STRING) {
      try {
        return Long.parseLong(parser.getText().trim());
      } catch (NumberFormatException e) {
        // Falls through to the error below.
      }
    }
    throw PostgrestError.badRequest("22P02", "invalid input syntax for type integer: " + name + " = " + parser.getText());
  }

  /**
   * {@code logs_param} as text PostgreSQL can store. A batch encoded twice (a JSON string holding
   * the array's text, as Python's {@code json.dumps(logs)} passed to supabase-py's {@code rpc()}
   * sends it) is read as the array it holds: cleaned and counted like any other batch, not cut at
   * a string's length limit. A string that holds no array or object goes on as it is; the store
   * keeps it as a rejected record.
   */
  private static String logs(JsonParser parser, byte[] body, ProblemTally tally) throws IOException {
    if (parser.currentToken() == JsonToken.VALUE_STRING) {
      String held = heldJson(parser.getText().getBytes(StandardCharsets.UTF_8), tally);
      if (held != null) {
        return held;
      }
    }
    return cleanJson(parser, body, tally);
  }

  /** The array or object whose whole JSON text these bytes are, cleaned; else null. */
  private static String heldJson(byte[] text, ProblemTally tally) {
    try (JsonParser held = JSON.createParser(text)) {
      JsonToken first = held.nextToken();
      if (first == JsonToken.START_ARRAY || first == JsonToken.START_OBJECT) {
        String json = cleanJson(held, text, tally);
        if (held.nextToken() == null) {
          return json;
        }
      }
    } catch (IOException e) {
      // Not JSON: a string after all.
    }
    if (tally != null) {
      tally.giveUp();   // it may have counted part of what is not a batch
    }
    return null;
  }

  /**
   * The current JSON value as text PostgreSQL can store. Most bodies (every heartlog agent's)
   * need no cleaning: the value is checked in place and its bytes are passed on as they came.
   * Otherwise it is copied, cleaning every string and cutting nesting past the limit. With a
   * {@code tally}, the value is a batch of records whose problems it counts.
   */
  private static String cleanJson(JsonParser parser, byte[] body, ProblemTally tally) throws IOException {
    JsonToken first = parser.currentToken();
    if (tally != null && first != JsonToken.START_ARRAY) {
      tally.giveUp();
      tally = null;
    }
    if (first == JsonToken.VALUE_NULL) {
      return null;
    }
    if (first == JsonToken.START_OBJECT || first == JsonToken.START_ARRAY) {
      int start = (int) parser.currentTokenLocation().getByteOffset();
      boolean storable = isStorableAsSent(parser, tally);
      int end = (int) parser.currentLocation().getByteOffset();
      if (storable) {
        return new String(body, start, end - start, StandardCharsets.UTF_8);
      }
      if (tally != null) {
        tally.giveUp();   // cleaning may change what it read
      }
      try (JsonParser again = JSON.createParser(body, start, end - start)) {
        again.nextToken();
        return copied(again);
      }
    }
    return copied(parser);
  }

  /**
   * Reads the object or array at the parser to its end and says whether {@link #copy} would
   * change nothing in it: every name and string storable and short enough, nesting in bounds.
   * With a {@code tally}, the value is an array of records: each record's level and timestamp
   * (its fields at depth 2) go to the tally.
   */
  private static boolean isStorableAsSent(JsonParser parser, ProblemTally tally) throws IOException {
    boolean storable = true;
    int depth = 0;
    String field = null;   // "level" or "timestamp" of a record, whose value comes next
    JsonToken token = parser.currentToken();
    while (true) {
      if (tally != null && depth == 1 && token != JsonToken.START_OBJECT && token != JsonToken.END_ARRAY) {
        tally.giveUp();   // an element that is not a record: the store takes the batch one by one
      }
      if (field != null && depth == 2) {
        boolean string = token == JsonToken.VALUE_STRING;
        char[] text = string ? parser.getTextCharacters() : null;
        int offset = string ? parser.getTextOffset() : 0;
        int length = string ? parser.getTextLength() : 0;
        if (field.equals("level")) {
          tally.level(text, offset, length);
        } else {
          tally.timestamp(text, offset, length);
        }
        field = null;
      }
      switch (token) {
        case START_OBJECT, START_ARRAY -> {
          storable &= depth < MAX_DEPTH;
          depth++;
          if (tally != null && depth == 2) {
            tally.startRecord();
          }
        }
        case END_OBJECT, END_ARRAY -> {
          depth--;
          if (tally != null && depth == 1) {
            tally.endRecord();
          }
        }
        case FIELD_NAME -> {
          storable &= isStorable(parser, 256);
          if (tally != null && depth == 2 && (parser.currentName().equals("level") || parser.currentName().equals("timestamp"))) {
            field = parser.currentName();
          }
        }
        case VALUE_STRING -> storable &= isStorable(parser, MAX_STRING_CHARS);
        case VALUE_NUMBER_FLOAT -> storable &= !parser.isNaN();   // NaN or Infinity
        default -> { }
      }
      if (depth == 0) {
        return storable;
      }
      token = parser.nextToken();
    }
  }

  private static boolean isStorable(JsonParser parser, int maxChars) throws IOException {
    return StorableText.isStorable(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength(), maxChars);
  }

  private static String copied(JsonParser parser) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      copy(parser, json, 0);
    }
    return out.toString();
  }

  private static void copy(JsonParser parser, JsonGenerator json, int depth) throws IOException {
    JsonToken token = parser.currentToken();
    if ((token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) && depth >= MAX_DEPTH) {
      parser.skipChildren();
      json.writeString("[heartlog: nested deeper than " + MAX_DEPTH + " levels]");
      return;
    }
    switch (token) {
      case START_OBJECT -> {
        json.writeStartObject();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          json.writeFieldName(StorableText.clean(parser.currentName(), 256));
          parser.nextToken();
          copy(parser, json, depth + 1);
        }
        json.writeEndObject();
      }
      case START_ARRAY -> {
        json.writeStartArray();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          copy(parser, json, depth + 1);
        }
        json.writeEndArray();
      }
      case VALUE_STRING -> json.writeString(StorableText.clean(parser.getText(), MAX_STRING_CHARS));
      case VALUE_NUMBER_INT -> json.writeNumber(parser.getText());
      case VALUE_NUMBER_FLOAT -> {
        if (parser.isNaN()) {
          json.writeString(parser.getText());   // NaN, Infinity, -Infinity: no JSON number holds them
        } else {
          json.writeNumber(parser.getText());
        }
      }
      case VALUE_TRUE -> json.writeBoolean(true);
      case VALUE_FALSE -> json.writeBoolean(false);
      default -> json.writeNull();
    }
  }

  private static String firstLine(String message) {
    int end = message == null ? -1 : message.indexOf('\n');
    return end < 0 ? String.valueOf(message) : message.substring(0, end);
  }
}
