package dev.heartlog.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a logfmt line, {@code key=value} pairs apart by spaces, as Go's {@code log/slog}
 * TextHandler ({@code time=... level=INFO msg="frame rendered" frame=7}), logrus's text formatter
 * when not on a terminal ({@code time="..." level=info msg="..."}) and go-kit's logger print them.
 * A value is bare (no space, {@code =} or {@code "}) or quoted with Go's escapes (a backslash
 * before a quote, a backslash, n, t, r, or x, u and U with hexadecimal digits). Values stay text:
 * logfmt does not say whether {@code 1.10} is a number or a version.
 */
final class Logfmt {

  private Logfmt() {}

  /**
   * The pairs of the line in their order; null unless the whole line is at least two pairs (a
   * word without {@code =}, a stray quote or a second value makes it not logfmt) and one of its
   * keys is among {@code anyOf}. A line turned away costs no allocation: it is read once to
   * check it, and only a line taken is read again into the map.
   */
  static Map<String, Object> pairs(String line, List<String> anyOf) {
    if (line.indexOf('=') < 0 || !read(line, anyOf, null)) {
      return null;
    }
    Map<String, Object> pairs = new LinkedHashMap<>();
    read(line, anyOf, pairs);
    return pairs;
  }

  /**
   * Reads the line's pairs into {@code into}, or only checks them where it is null; whether the
   * line is logfmt of two pairs or more with a key among {@code anyOf}. A key's first value wins.
   */
  private static boolean read(String line, List<String> anyOf, Map<String, Object> into) {
    int length = line.length();
    int count = 0;
    boolean keyFound = false;
    int i = 0;
    while (true) {
      while (i < length && line.charAt(i) == ' ') {
        i++;
      }
      if (i == length) {
        break;
      }
      int keyStart = i;
      while (i < length && line.charAt(i) > ' ' && line.charAt(i) != '=' && line.charAt(i) != '"') {
        i++;
      }
      if (i == keyStart || i == length || line.charAt(i) != '=') {
        return false;   // a word of its own, or a key without its =
      }
      int keyEnd = i++;
      keyFound = keyFound || isAnyOf(line, keyStart, keyEnd, anyOf);
      int valueStart = i;
      StringBuilder text = null;
      if (i < length && line.charAt(i) == '"') {
        text = into == null ? null : new StringBuilder();
        i = quoted(line, i + 1, text);
        if (i < 0) {
          return false;
        }
      } else {
        while (i < length && line.charAt(i) > ' ' && line.charAt(i) != '"' && line.charAt(i) != '=') {
          i++;
        }
      }
      if (i < length && line.charAt(i) != ' ') {
        return false;   // "a=b=c", "a=b\"c"
      }
      count++;
      if (into != null) {
        into.putIfAbsent(line.substring(keyStart, keyEnd), text != null ? text.toString() : line.substring(valueStart, i));
      }
    }
    return count >= 2 && keyFound;
  }

  /**
   * The value of the first {@code key=value} pair in {@code text} after a space, as logfmt writes
   * it (bare, or quoted with Go's escapes): where a line is a message with its fields after it,
   * as zerolog's console prints one ({@code upload failed error="service unavailable"
   * task_id=t-42}), and not all of it reads as pairs. Null where there is none, or its quotes do
   * not close.
   */
  static String value(String text, String key) {
    String pair = " " + key + "=";
    int at = text.indexOf(pair);
    if (at < 0) {
      return null;
    }
    int start = at + pair.length();
    if (start < text.length() && text.charAt(start) == '"') {
      StringBuilder value = new StringBuilder();
      return quoted(text, start + 1, value) < 0 ? null : value.toString();
    }
    int end = text.indexOf(' ', start);
    return text.substring(start, end < 0 ? text.length() : end);
  }

  private static boolean isAnyOf(String line, int start, int end, List<String> names) {
    for (String name : names) {
      if (name.length() == end - start && line.startsWith(name, start)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reads a quoted value from {@code at} (after its opening quote) into {@code text}, or only
   * checks it where {@code text} is null; the index after its closing quote, or -1 where it does
   * not close or holds an escape Go does not write.
   */
  private static int quoted(String line, int at, StringBuilder text) {
    int i = at;
    while (i < line.length()) {
      char c = line.charAt(i++);
      if (c == '"') {
        return i;
      }
      int codePoint = c;
      if (c == '\\') {
        if (i == line.length()) {
          return -1;
        }
        char escaped = line.charAt(i++);
        int digits = escaped == 'x' ? 2 : escaped == 'u' ? 4 : escaped == 'U' ? 8 : 0;
        codePoint = switch (escaped) {
          case '"', '\\' -> escaped;
          case 'n' -> '\n';
          case 't' -> '\t';
          case 'r' -> '\r';
          case 'x', 'u', 'U' -> hex(line, i, digits);
          default -> -1;
        };
        if (codePoint < 0 || !Character.isValidCodePoint(codePoint)) {
          return -1;
        }
        i += digits;
      }
      if (text != null) {
        text.appendCodePoint(codePoint);
      }
    }
    return -1;
  }

  /** The number the {@code digits} hexadecimal digits at {@code at} write; -1 where they do not. */
  private static int hex(String line, int at, int digits) {
    if (at + digits > line.length()) {
      return -1;
    }
    int value = 0;
    for (int i = at; i < at + digits; i++) {
      char c = line.charAt(i);
      int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (digit < 0) {
        return -1;   // Character.digit would take other scripts' digits too
      }
      value = value * 16 + digit;
    }
    return value;   // eight digits past 7FFFFFFF wrap below 0: refused as no code point
  }
}
