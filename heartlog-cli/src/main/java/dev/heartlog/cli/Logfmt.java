package dev.heartlog.cli;

import java.util.LinkedHashMap;
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
   * word without {@code =}, a stray quote or a second value makes it not logfmt).
   */
  static Map<String, Object> pairs(String line) {
    if (line.indexOf('=') < 0) {
      return null;   // most lines
    }
    Map<String, Object> pairs = new LinkedHashMap<>();
    int length = line.length();
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
        return null;   // a word of its own, or a key without its =
      }
      String key = line.substring(keyStart, i);
      i++;
      String value;
      if (i < length && line.charAt(i) == '"') {
        StringBuilder text = new StringBuilder();
        i = quoted(line, i + 1, text);
        if (i < 0) {
          return null;
        }
        value = text.toString();
      } else {
        int valueStart = i;
        while (i < length && line.charAt(i) > ' ' && line.charAt(i) != '"' && line.charAt(i) != '=') {
          i++;
        }
        value = line.substring(valueStart, i);
      }
      if (i < length && line.charAt(i) != ' ') {
        return null;   // "a=b=c", "a=b\"c"
      }
      pairs.putIfAbsent(key, value);
    }
    return pairs.size() < 2 ? null : pairs;
  }

  /**
   * Reads a quoted value from {@code at} (after its opening quote) into {@code text}; the index
   * after its closing quote, or -1 where it does not close or holds an escape Go does not write.
   */
  private static int quoted(String line, int at, StringBuilder text) {
    int i = at;
    while (i < line.length()) {
      char c = line.charAt(i++);
      if (c == '"') {
        return i;
      }
      if (c != '\\') {
        text.append(c);
        continue;
      }
      if (i == line.length()) {
        return -1;
      }
      char escaped = line.charAt(i++);
      switch (escaped) {
        case '"', '\\' -> text.append(escaped);
        case 'n' -> text.append('\n');
        case 't' -> text.append('\t');
        case 'r' -> text.append('\r');
        case 'x', 'u', 'U' -> {
          int digits = escaped == 'x' ? 2 : escaped == 'u' ? 4 : 8;
          int codePoint = hex(line, i, digits);
          if (codePoint < 0 || !Character.isValidCodePoint(codePoint)) {
            return -1;
          }
          text.appendCodePoint(codePoint);
          i += digits;
        }
        default -> {
          return -1;
        }
      }
    }
    return -1;
  }

  /** The number the {@code digits} hexadecimal digits at {@code at} write; -1 where they do not. */
  private static int hex(String line, int at, int digits) {
    if (at + digits > line.length()) {
      return -1;
    }
    try {
      return Integer.parseUnsignedInt(line.substring(at, at + digits), 16);
    } catch (NumberFormatException notHex) {
      return -1;
    }
  }
}
