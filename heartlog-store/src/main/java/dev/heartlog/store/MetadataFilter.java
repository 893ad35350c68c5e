package dev.heartlog.store;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Records picked by what their metadata says ({@code heartlog logs --meta model=wan2.1}): each
 * wanted top-level key must hold its value. A stored string matches its text exactly; a boolean
 * matches {@code true} or {@code false}; a number matches a value that reads as the same number
 * ({@code frame=12} matches 12 and 12.0, and also the string "12"); a null, a list or an object
 * matches nothing.
 *
 * <p>The store asks {@code metadata @> ANY (objects)} of the objects {@link #containedObjects}
 * makes, jsonb's containment, which reads a record's metadata about twice as fast as pulling
 * each key out as text; the live tail matches in Java with {@link #matches}, to the same rules.
 */
public final class MetadataFilter {

  /** Most keys one filter may name: each that reads as a number or boolean doubles the objects asked for. */
  public static final int MAX_KEYS = 8;

  /**
   * A value compared with stored numbers as a number. Its digits are bounded so that PostgreSQL's
   * numeric always reads it.
   */
  private static final Pattern NUMBER = Pattern.compile("-?[0-9]{1,100}(\\.[0-9]{1,100})?([eE][-+]?[0-9]{1,3})?");

  private MetadataFilter() {}

  /**
   * A filter from {@code key=value} texts ({@code model=wan2.1}), as the query API and the live
   * tail take them: split at the first {@code =}, the key trimmed, the value as it is; blank texts
   * are skipped, a later key replaces an earlier one.
   *
   * @throws IllegalArgumentException for a text without {@code =} or without a key, or a filter
   *     {@link LogFilter} refuses
   */
  public static Map<String, String> parse(List<String> keyValues) {
    Map<String, String> metadata = new LinkedHashMap<>();
    for (String keyValue : keyValues == null ? List.<String>of() : keyValues) {
      if (keyValue == null || keyValue.isBlank()) {
        continue;
      }
      int equals = keyValue.indexOf('=');
      if (equals <= 0 || keyValue.substring(0, equals).isBlank()) {
        throw new IllegalArgumentException("meta must be key=value, as model=wan2.1 (got '" + keyValue + "')");
      }
      metadata.put(keyValue.substring(0, equals).trim(), keyValue.substring(equals + 1));
    }
    check(metadata);
    return metadata;
  }

  /** Refuses what no query can ask for; the message says why. */
  static void check(Map<String, String> wanted) {
    if (wanted.size() > MAX_KEYS) {
      throw new IllegalArgumentException("a metadata filter names at most " + MAX_KEYS + " keys (got " + wanted.size() + ")");
    }
    for (Map.Entry<String, String> entry : wanted.entrySet()) {
      if (entry.getKey() == null || entry.getKey().isEmpty() || entry.getValue() == null) {
        throw new IllegalArgumentException("a metadata filter needs a key and a value (key=value)");
      }
      if (entry.getKey().indexOf('\0') >= 0 || entry.getValue().indexOf('\0') >= 0) {
        throw new IllegalArgumentException("a metadata filter cannot hold the NUL character, which no record's metadata has");
      }
    }
  }

  /** Whether a record's metadata has every key of {@code wanted} with its value; true for none. */
  public static boolean matches(Map<String, String> wanted, StoredRecord record) {
    if (wanted.isEmpty()) {
      return true;
    }
    Map<String, Object> values = record.metadataScalars(wanted.keySet());
    return wanted.entrySet().stream().allMatch(entry -> matches(values.get(entry.getKey()), entry.getValue()));
  }

  private static boolean matches(Object stored, String wanted) {
    if (stored instanceof BigDecimal number) {
      return NUMBER.matcher(wanted).matches() && number.compareTo(new BigDecimal(wanted)) == 0;
    }
    return wanted.equals(stored);
  }

  /**
   * JSON objects, one of which a record's metadata contains exactly where it matches: every way
   * of writing the wanted values as JSON, a value that reads as a number or a boolean both as
   * that and as a string. Empty for no filter.
   */
  static String[] containedObjects(Map<String, String> wanted) {
    List<StringBuilder> objects = new ArrayList<>();
    if (wanted.isEmpty()) {
      return new String[0];
    }
    objects.add(new StringBuilder("{"));
    for (Map.Entry<String, String> entry : wanted.entrySet()) {
      List<String> values = jsonValues(entry.getValue());
      List<StringBuilder> next = new ArrayList<>(objects.size() * values.size());
      for (StringBuilder object : objects) {
        for (String value : values) {
          StringBuilder extended = new StringBuilder(object);
          if (extended.length() > 1) {
            extended.append(", ");
          }
          next.add(extended.append(quoted(entry.getKey())).append(": ").append(value));
        }
      }
      objects = next;
    }
    return objects.stream().map(object -> object.append('}').toString()).toArray(String[]::new);
  }

  /** A wanted value as the JSON values it matches: its string, and its number or boolean. */
  private static List<String> jsonValues(String value) {
    List<String> values = new ArrayList<>(2);
    values.add(quoted(value));
    if (NUMBER.matcher(value).matches()) {
      values.add(new BigDecimal(value).toString());   // 012 and 1e1 are not JSON; 12 and 1E+1 are
    } else if (value.equals("true") || value.equals("false")) {
      values.add(value);
    }
    return values;
  }

  private static String quoted(String text) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
  }
}
