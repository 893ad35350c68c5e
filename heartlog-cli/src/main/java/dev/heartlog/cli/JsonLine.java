package dev.heartlog.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A line that is one JSON object, as structured loggers print them (structlog, python-json-logger,
 * loguru's {@code serialize}, pino, zap, logrus): its fields as maps, lists, strings, numbers,
 * booleans and nulls, in their order.
 */
final class JsonLine {

  private static final JsonFactory JSON = new JsonFactory();

  private JsonLine() {}

  /** The object the line holds, or null when it is not exactly one JSON object. */
  static Map<String, Object> object(String line) {
    String trimmed = line.strip();
    if (trimmed.length() < 2 || trimmed.charAt(0) != '{' || trimmed.charAt(trimmed.length() - 1) != '}') {
      return null;
    }
    try (JsonParser parser = JSON.createParser(trimmed)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      Map<String, Object> object = readObject(parser);
      return parser.nextToken() == null ? object : null;
    } catch (IOException | RuntimeException notJson) {
      return null;
    }
  }

  private static Map<String, Object> readObject(JsonParser parser) throws IOException {
    Map<String, Object> object = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      parser.nextToken();
      object.put(name, readValue(parser));
    }
    return object;
  }

  private static Object readValue(JsonParser parser) throws IOException {
    return switch (parser.currentToken()) {
      case START_OBJECT -> readObject(parser);
      case START_ARRAY -> {
        List<Object> array = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(readValue(parser));
        }
        yield array;
      }
      case VALUE_STRING -> parser.getText();
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getNumberValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      default -> null;
    };
  }
}
