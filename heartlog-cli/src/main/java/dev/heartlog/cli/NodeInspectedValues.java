package dev.heartlog.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A value as Node.js's {@code util.inspect} prints it, what {@code console.log} and {@code
 * console.dir} print for an object: {@code { name: 'render', tries: 3, done: false, error:
 * undefined, tags: [ 'gpu', 'a100' ] }}, over several lines where it is long, a text of several
 * lines as its lines in quotes joined by {@code +}. Read as maps (in their order), lists, texts,
 * numbers, booleans and nulls ({@code undefined} and {@code null} both); what it cannot stand for
 * ({@code [Object]} past the depth printed, {@code [Function: f]}, {@code ... 3 more items}, a
 * class's name before its braces) makes the whole value unreadable.
 */
final class NodeInspectedValues {

  private final String text;
  private int at;

  private NodeInspectedValues(String text) {
    this.text = text;
  }

  /** The value the text holds, and nothing after it; null where it holds none this reads. */
  static Object read(String text) {
    NodeInspectedValues reader = new NodeInspectedValues(text);
    try {
      Object value = reader.value();
      reader.skipSpaces();
      return reader.at == text.length() ? value : null;
    } catch (Unreadable e) {
      return null;
    }
  }

  /** A value unlike any this reads. */
  private static final class Unreadable extends Exception {
    Unreadable() {
      super(null, null, false, false);
    }
  }

  private Object value() throws Unreadable {
    skipSpaces();
    char c = peek();
    if (c == '{') {
      return object();
    }
    if (c == '[') {
      return list();
    }
    if (c == '\'' || c == '"' || c == '`') {
      StringBuilder joined = new StringBuilder(string());
      while (followedByPlus()) {
        skipSpaces();
        joined.append(string());
      }
      return joined.toString();
    }
    if (c == '-' || c >= '0' && c <= '9') {
      return number();
    }
    String word = word();
    return switch (word) {
      case "undefined", "null" -> null;
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> throw new Unreadable();
    };
  }

  private Map<String, Object> object() throws Unreadable {
    Map<String, Object> fields = new LinkedHashMap<>();
    at++;   // {
    skipSpaces();
    if (peek() == '}') {
      at++;
      return fields;
    }
    while (true) {
      skipSpaces();
      char c = peek();
      String key = c == '\'' || c == '"' ? string() : word();
      skipSpaces();
      expect(':');
      fields.put(key, value());
      skipSpaces();
      if (peek() == '}') {
        at++;
        return fields;
      }
      expect(',');
    }
  }

  private List<Object> list() throws Unreadable {
    List<Object> values = new ArrayList<>();
    at++;   // [
    skipSpaces();
    if (peek() == ']') {
      at++;
      return values;
    }
    while (true) {
      values.add(value());
      skipSpaces();
      if (peek() == ']') {
        at++;
        return values;
      }
      expect(',');
    }
  }

  /** A text in quotes, as {@code util.inspect} escapes it. */
  private String string() throws Unreadable {
    char quote = peek();
    if (quote != '\'' && quote != '"' && quote != '`') {
      throw new Unreadable();
    }
    at++;
    StringBuilder value = new StringBuilder();
    while (at < text.length()) {
      char c = text.charAt(at++);
      if (c == quote) {
        return value.toString();
      }
      if (c != '\\') {
        value.append(c);
        continue;
      }
      if (at >= text.length()) {
        break;
      }
      char escaped = text.charAt(at++);
      switch (escaped) {
        case 'n' -> value.append('\n');
        case 't' -> value.append('\t');
        case 'r' -> value.append('\r');
        case 'b' -> value.append('\b');
        case 'f' -> value.append('\f');
        case 'v' -> value.append('\u000B');
        case 'x' -> value.append((char) hex(2));
        case 'u' -> value.append((char) hex(4));
        default -> value.append(escaped);   // \\ \' \" \`
      }
    }
    throw new Unreadable();
  }

  private int hex(int digits) throws Unreadable {
    if (at + digits > text.length()) {
      throw new Unreadable();
    }
    try {
      int value = Integer.parseInt(text.substring(at, at + digits), 16);
      at += digits;
      return value;
    } catch (NumberFormatException e) {
      throw new Unreadable();
    }
  }

  private Number number() throws Unreadable {
    int start = at;
    if (peek() == '-') {
      at++;
    }
    while (at < text.length() && "0123456789.e+-_".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
    String digits = text.substring(start, at).replace("_", "");
    if (at < text.length() && text.charAt(at) == 'n') {
      at++;   // a BigInt: 12n
    }
    try {
      if (digits.indexOf('.') < 0 && digits.indexOf('e') < 0) {
        return Long.parseLong(digits);
      }
      return Double.parseDouble(digits);
    } catch (NumberFormatException e) {
      throw new Unreadable();
    }
  }

  /** A word of a key or a value: letters, digits, {@code _} and {@code $}. */
  private String word() throws Unreadable {
    int start = at;
    while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_'
        || text.charAt(at) == '$')) {
      at++;
    }
    if (at == start) {
      throw new Unreadable();
    }
    return text.substring(start, at);
  }

  /** Whether a {@code +} follows, which joins the next line of a text of several lines. */
  private boolean followedByPlus() {
    int next = at;
    while (next < text.length() && Character.isWhitespace(text.charAt(next))) {
      next++;
    }
    if (next < text.length() && text.charAt(next) == '+') {
      at = next + 1;
      return true;
    }
    return false;
  }

  private void expect(char c) throws Unreadable {
    if (peek() != c) {
      throw new Unreadable();
    }
    at++;
  }

  private char peek() throws Unreadable {
    if (at >= text.length()) {
      throw new Unreadable();
    }
    return text.charAt(at);
  }

  private void skipSpaces() {
    while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
      at++;
    }
  }
}
