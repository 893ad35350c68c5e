package dev.heartlog.cli;

/**
 * Takes terminal escape sequences out of a line: the colours and styles that loguru, rich, or a
 * worker forcing colour (FORCE_COLOR) print. The terminal still gets them, as printed; a record
 * without them reads as text, is found by {@code --grep}, and shows its level to the parser
 * ({@code ESC[31mERROR} is an error).
 *
 * <p>Removed: CSI sequences ({@code ESC [ parameters intermediates final}), OSC sequences
 * ({@code ESC ] ... BEL} or {@code ESC ] ... ESC \}, window titles and hyperlinks), and the
 * other two-character escapes ({@code ESC 7}, {@code ESC ( B}). A lone ESC at the end is dropped.
 */
final class AnsiEscapes {

  private static final char ESC = '\u001b';
  private static final char BEL = '\u0007';

  private AnsiEscapes() {}

  static String strip(String line) {
    int first = line.indexOf(ESC);
    if (first < 0) {
      return line;
    }
    StringBuilder text = new StringBuilder(line.length());
    text.append(line, 0, first);
    int i = first;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (c != ESC) {
        text.append(c);
        i++;
        continue;
      }
      i = endOfEscape(line, i + 1);
    }
    return text.toString();
  }

  /** Where the sequence that follows an ESC at {@code start - 1} ends. */
  private static int endOfEscape(String line, int start) {
    if (start >= line.length()) {
      return start;
    }
    char kind = line.charAt(start);
    int i = start + 1;
    if (kind == '[') {   // CSI: parameters and intermediates, then one final byte
      while (i < line.length() && line.charAt(i) >= 0x20 && line.charAt(i) <= 0x3f) {
        i++;
      }
      return Math.min(i + 1, line.length());
    }
    if (kind == ']') {   // OSC: up to BEL or ESC \
      while (i < line.length()) {
        char c = line.charAt(i);
        if (c == BEL) {
          return i + 1;
        }
        if (c == ESC && i + 1 < line.length() && line.charAt(i + 1) == '\\') {
          return i + 2;
        }
        i++;
      }
      return i;
    }
    // Intermediates (ESC ( B), then the final character.
    i = start;
    while (i < line.length() && line.charAt(i) >= 0x20 && line.charAt(i) <= 0x2f) {
      i++;
    }
    return Math.min(i + 1, line.length());
  }
}
