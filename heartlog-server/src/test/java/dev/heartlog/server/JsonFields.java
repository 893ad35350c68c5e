package dev.heartlog.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads the API's answers in tests. */
final class JsonFields {

  private JsonFields() {}

  /** The values of one field wherever it appears in a JSON answer, as text, in order. */
  static List<String> values(String json, String field) throws IOException {
    List<String> found = new ArrayList<>();
    try (JsonParser parser = new JsonFactory().createParser(json)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.FIELD_NAME && parser.currentName().equals(field)) {
          parser.nextToken();
          found.add(parser.getText());
        }
      }
    }
    return found;
  }
}
