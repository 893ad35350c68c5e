package dev.heartlog.agent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * A record's metadata (and a heartbeat's) as JSON: any map of strings, numbers of the JDK's
 * types, booleans, lists, arrays and maps of those, written as {@code jsonb} can store it; a
 * {@code byte[]} as base64. It is
 * capped in depth, keys and elements, each cap said in what is written; text is cleaned of what
 * PostgreSQL refuses; other objects are written as their text.
 */
final class MetadataJson {

  /** Longest metadata value kept (exception text included). */
  static final int MAX_VALUE_CHARS = 32 * 1024;
  /** Deepest metadata nesting kept; deeper values are replaced by a marker. */
  static final int MAX_METADATA_DEPTH = 8;
  /** Most keys kept in one metadata map. */
  static final int MAX_METADATA_KEYS = 64;
  /** Most elements kept of one metadata list or array. */
  static final int MAX_METADATA_ELEMENTS = 1_000;
  /** Most metadata entries written in {@code jsonb}'s key order; larger maps keep their own. */
  static final int MAX_SORTED_KEYS = 16;
  /**
   * Most digits of a {@code BigDecimal} written as a number, before the point and after; a
   * longer one is written as text (see {@link #fitsJsonb}).
   */
  static final int MAX_EXACT_NUMBER_DIGITS = 1_000;
  /** The same for a {@code BigInteger}, in bits: about 1,000 digits. */
  static final int MAX_EXACT_NUMBER_BITS = 3_300;
  /** Most bytes of a {@code byte[]} kept, in base64: about {@link #MAX_VALUE_CHARS} characters. */
  static final int MAX_BASE64_BYTES = MAX_VALUE_CHARS / 4 * 3 - 48;


  private static final JsonFactory JSON = new JsonFactory();

  private MetadataJson() {}

  /** A map as a JSON object, capped and cleaned as a record's metadata is. */
  static String object(Map<String, Object> map) {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      write(json, map);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Writes a record's metadata. */
  static void write(JsonGenerator json, Map<?, ?> map) throws IOException {
    writeMap(json, map, 1);
  }

  private static void writeMap(JsonGenerator json, Map<?, ?> map, int depth) throws IOException {
    json.writeStartObject();
    if (map instanceof RecordMetadata flat) {
      if (flat.size() <= MAX_SORTED_KEYS) {
        writeInJsonbOrder(json, flat, depth);
      } else {
        for (int i = 0; i < Math.min(flat.size(), MAX_METADATA_KEYS); i++) {
          writeEntry(json, flat.keyAt(i), flat.valueAt(i), depth);
        }
      }
    } else {
      int keys = 0;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (++keys > MAX_METADATA_KEYS) {
          break;
        }
        writeEntry(json, entry.getKey(), entry.getValue(), depth);
      }
    }
    if (map.size() > MAX_METADATA_KEYS) {
      json.writeNumberField("heartlog_keys_dropped", map.size() - MAX_METADATA_KEYS);
    }
    json.writeEndObject();
  }

  /**
   * Most records' metadata (an appender's few entries), read in place and written in the order
   * {@code jsonb} stores keys, like a record's own fields (see {@code RecordJson}): each step
   * writes the smallest key not yet written, so nothing is allocated; keys of a {@link
   * RecordMetadata} are unique, so none is skipped.
   */
  private static void writeInJsonbOrder(JsonGenerator json, RecordMetadata metadata, int depth) throws IOException {
    int size = metadata.size();
    int previous = -1;
    for (int written = 0; written < size; written++) {
      int next = -1;
      for (int i = 0; i < size; i++) {
        String key = metadata.keyAt(i);
        if ((previous < 0 || jsonbKeyOrder(key, metadata.keyAt(previous)) > 0)
            && (next < 0 || jsonbKeyOrder(key, metadata.keyAt(next)) < 0)) {
          next = i;
        }
      }
      writeEntry(json, metadata.keyAt(next), metadata.valueAt(next), depth);
      previous = next;
    }
  }

  /**
   * jsonb's order of object keys: shorter first, then by bytes. For ASCII keys, as nearly all
   * are, characters compare as their bytes do; for others the order may differ from jsonb's,
   * which costs the store a sort and nothing else.
   */
  private static int jsonbKeyOrder(String a, String b) {
    return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
  }

  private static void writeEntry(JsonGenerator json, Object key, Object value, int depth) throws IOException {
    json.writeFieldName(clean(describe(key), 256));
    writeValue(json, value, depth);
  }

  private static void writeValue(JsonGenerator json, Object value, int depth) throws IOException {
    if (value == null) {
      json.writeNull();
    } else if (value instanceof Boolean b) {
      json.writeBoolean(b);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
        || value instanceof AtomicInteger || value instanceof AtomicLong || value instanceof LongAdder) {
      json.writeNumber(((Number) value).longValue());
    } else if (value instanceof Double d && Double.isFinite(d)) {
      json.writeNumber(d);
    } else if (value instanceof Float f && Float.isFinite(f)) {
      json.writeNumber(f);   // as its own shortest text: 0.1f is 0.1, not 0.10000000149011612
    } else if (value instanceof BigInteger big && big.bitLength() <= MAX_EXACT_NUMBER_BITS) {
      json.writeNumber(big);
    } else if (value instanceof BigDecimal decimal && fitsJsonb(decimal)) {
      json.writeNumber(decimal);
    } else if (value instanceof byte[] bytes) {
      json.writeString(base64(bytes));
    } else if (value instanceof Map<?, ?> || value instanceof Collection<?> || value.getClass().isArray()) {
      if (depth >= MAX_METADATA_DEPTH) {
        json.writeString("[heartlog: nested deeper than " + MAX_METADATA_DEPTH + " levels]");
      } else if (value instanceof Map<?, ?> nested) {
        writeMap(json, nested, depth + 1);
      } else if (value instanceof Collection<?> collection) {
        writeArray(json, collection, collection.size(), depth);
      } else {   // an array, of objects or of primitives: its elements, not "[I@1b6d3586"
        int length = Array.getLength(value);
        writeArray(json, () -> IntStream.range(0, length).mapToObj(i -> Array.get(value, i)).iterator(), length, depth);
      }
    } else {
      json.writeString(clean(describe(value), MAX_VALUE_CHARS));
    }
  }

  /**
   * The first {@value #MAX_METADATA_ELEMENTS} elements, then, where there were more, a text that
   * says how many more.
   */
  private static void writeArray(JsonGenerator json, Iterable<?> elements, int size, int depth) throws IOException {
    json.writeStartArray();
    int written = 0;
    for (Object element : elements) {
      if (written == MAX_METADATA_ELEMENTS) {
        json.writeString("[heartlog: " + (size - written) + " more elements dropped]");
        break;
      }
      writeValue(json, element, depth + 1);
      written++;
    }
    json.writeEndArray();
  }

  /**
   * Bytes as base64, as Jackson and Logstash's encoders write them: a digest or a payload's bytes
   * reads as one text, not as a thousand numbers. The first {@value #MAX_BASE64_BYTES} are kept,
   * then a text says how many more were dropped.
   */
  private static String base64(byte[] bytes) {
    if (bytes.length <= MAX_BASE64_BYTES) {
      return Base64.getEncoder().encodeToString(bytes);
    }
    return Base64.getEncoder().encodeToString(Arrays.copyOf(bytes, MAX_BASE64_BYTES))
        + " [heartlog: " + (bytes.length - MAX_BASE64_BYTES) + " more bytes dropped]";
  }

  /**
   * Whether jsonb takes this decimal as a number, with room: it refuses more than 131,072 digits
   * before the point or 16,383 after, and one such value would fail the whole heartbeat's logs.
   * Beyond a thousand digits either side the value is written as text.
   */
  private static boolean fitsJsonb(BigDecimal decimal) {
    return decimal.precision() - decimal.scale() <= MAX_EXACT_NUMBER_DIGITS && decimal.scale() <= MAX_EXACT_NUMBER_DIGITS;
  }

  /** A value's text; a {@code toString()} that throws must not make its batch unsendable. */
  /**
   * A copy of a record's metadata with {@code mask} applied to each text it holds as written: its
   * texts, and the text of any object written as its text, in maps, lists and arrays at any depth
   * (an array becomes a list). Keys, numbers, booleans and bytes stay as they are, as does a
   * value nested deeper than is written.
   */
  static Map<String, Object> masked(Map<?, ?> map, UnaryOperator<String> mask) {
    return maskedMap(map, mask, 1);
  }

  private static Map<String, Object> maskedMap(Map<?, ?> map, UnaryOperator<String> mask, int depth) {
    Map<String, Object> copy = map instanceof RecordMetadata ? new RecordMetadata(map.size())
        : new LinkedHashMap<>(map.size() * 2);
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      copy.put(describe(entry.getKey()), maskedValue(entry.getValue(), mask, depth));
    }
    return copy;
  }

  private static Object maskedValue(Object value, UnaryOperator<String> mask, int depth) {
    if (value == null || value instanceof Boolean || value instanceof Number || value instanceof byte[]
        || depth >= MAX_METADATA_DEPTH && (value instanceof Map<?, ?> || value instanceof Collection<?>
            || value.getClass().isArray())) {
      return value;
    } else if (value instanceof Map<?, ?> nested) {
      return maskedMap(nested, mask, depth + 1);
    } else if (value instanceof Collection<?> collection) {
      List<Object> list = new ArrayList<>(collection.size());
      for (Object element : collection) {
        list.add(maskedValue(element, mask, depth + 1));
      }
      return list;
    } else if (value.getClass().isArray()) {
      int length = Array.getLength(value);
      List<Object> list = new ArrayList<>(length);
      for (int i = 0; i < length; i++) {
        list.add(maskedValue(Array.get(value, i), mask, depth + 1));
      }
      return list;
    }
    return mask.apply(describe(value));
  }

  private static String describe(Object value) {
    try {
      return String.valueOf(value);
    } catch (RuntimeException e) {
      return "[heartlog: toString() of " + value.getClass().getName() + " failed: " + e + "]";
    }
  }

  private static String clean(String text, int maxChars) {
    return StorableText.clean(text, maxChars);
  }
}
