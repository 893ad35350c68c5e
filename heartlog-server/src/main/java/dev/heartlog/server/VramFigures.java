package dev.heartlog.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.heartlog.agent.StorableText;
import java.io.IOException;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The VRAM figures of a heartbeat from other clients (a Python worker's), read so that a figure
 * PostgreSQL's integer would refuse does not cost the heartbeat and its records. PostgREST casts
 * each argument, and one bad figure fails the whole call: on Supabase a worker that sends {@code
 * torch.cuda.memory_allocated() / 2**20}, a fraction, loses every heartbeat and every record it
 * sends.
 *
 * <ul>
 *   <li>A whole number, or text holding one, is taken as it is.
 *   <li>A fraction is rounded to the nearest MiB.
 *   <li>Anything else (text that is no number, a figure beyond an integer, as bytes sent for MiB
 *       would be, true, an object) is stored as no figure, and what was sent is kept in the
 *       heartbeat's metadata as {@code original_<argument>}, as the store keeps a record's level
 *       it could not read in {@code original_level}.
 * </ul>
 */
final class VramFigures {

  /** A number as JSON or PostgreSQL writes one; text in any other form is not read as one. */
  private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]*)?([eE][-+]?[0-9]+)?");
  /** The longest text kept of a figure that could not be read. */
  private static final int MAX_ORIGINAL_CHARS = 200;

  private final Map<String, String> originals = new TreeMap<>();

  /** The figure of argument {@code name} at the parser, in MiB; null for none or one not read. */
  Long read(JsonParser parser, String name) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
      parser.skipChildren();
      originals.put(name, token == JsonToken.START_OBJECT ? "an object" : "an array");
      return null;
    }
    String text = parser.getText();
    Integer mebibytes = token.isNumeric() || token == JsonToken.VALUE_STRING ? mebibytes(text.strip()) : null;
    if (mebibytes == null) {
      originals.put(name, StorableText.clean(text, MAX_ORIGINAL_CHARS));
      return null;
    }
    return mebibytes.longValue();
  }

  /**
   * A number's text in MiB, rounded to the nearest; null where it is no number or lies beyond
   * PostgreSQL's integer.
   */
  static Integer mebibytes(String text) {
    if (text.length() > 100 || !NUMBER.matcher(text).matches()) {
      return null;
    }
    double value = Double.parseDouble(text);
    double rounded = Math.copySign(Math.floor(Math.abs(value) + 0.5), value);   // halves away from zero, as PostgreSQL
    if (rounded < Integer.MIN_VALUE || rounded > Integer.MAX_VALUE) {
      return null;
    }
    return (int) rounded;
  }

  /**
   * The heartbeat's metadata with the figures that could not be read, as sent, as fields of its
   * own: {@code metadataJson} unchanged where none was, or where it is not an object.
   */
  String metadataWith(String metadataJson) {
    if (originals.isEmpty()) {
      return metadataJson;
    }
    StringJoiner fields = new StringJoiner(",");
    JsonStringEncoder encoder = JsonStringEncoder.getInstance();
    originals.forEach((name, sent) -> fields.add(
        "\"original_" + name + "\":\"" + new String(encoder.quoteAsString(sent)) + "\""));
    if (metadataJson == null) {
      return "{" + fields + "}";
    }
    String object = metadataJson.strip();
    if (!object.startsWith("{")) {
      return metadataJson;
    }
    String rest = object.substring(1).strip();
    return "{" + fields + (rest.equals("}") ? "}" : "," + rest);
  }
}
