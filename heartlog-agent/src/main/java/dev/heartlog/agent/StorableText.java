package dev.heartlog.agent;

/**
 * Makes text storable in PostgreSQL, where one NUL character or broken surrogate pair in a
 * {@code jsonb} argument fails the whole call (SQLSTATE 22P05). Used by the agent for its
 * records and by {@code heartlog serve} for what other clients send.
 */
public final class StorableText {

  private StorableText() {}

  /**
   * Replaces NUL and unpaired surrogates with U+FFFD and cuts text longer than {@code maxChars},
   * saying how much was cut (the marker counts against the limit, so cleaning twice changes
   * nothing). Returns the same string when nothing needs cleaning, so cleaning costs one scan.
   *
   * @param text the text to clean
   * @param maxChars the longest text kept, marker included
   * @return the text PostgreSQL can store
   */
  public static String clean(String text, int maxChars) {
    String kept = text;
    int cut = 0;
    if (kept.length() > maxChars) {
      // The marker counts against the limit, so a cleaned text is never cut again.
      int end = maxChars - truncationMarker(kept.length()).length();
      if (Character.isHighSurrogate(kept.charAt(end - 1))) {
        end--;
      }
      cut = kept.length() - end;
      kept = kept.substring(0, end);
    }
    int bad = firstUnstorable(kept);
    if (bad >= 0) {
      kept = replaceUnstorable(kept, bad);
    }
    return cut == 0 ? kept : kept + truncationMarker(cut);
  }

  /**
   * Whether {@link #clean(String, int)} would return these characters unchanged: no NUL, no
   * unpaired surrogate, at most {@code maxChars}. Reads them in place, for callers that check
   * before they copy.
   */
  public static boolean isStorable(char[] chars, int offset, int length, int maxChars) {
    if (length > maxChars) {
      return false;
    }
    int end = offset + length;
    for (int i = offset; i < end; i++) {
      char c = chars[i];
      if (c == '\u0000') {
        return false;
      }
      if (Character.isSurrogate(c)) {
        if (!Character.isHighSurrogate(c) || i + 1 >= end || !Character.isLowSurrogate(chars[i + 1])) {
          return false;
        }
        i++;
      }
    }
    return true;
  }

  private static String truncationMarker(int cut) {
    return " … [heartlog truncated " + cut + " characters]";
  }

  private static int firstUnstorable(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\u0000') {
        return i;
      }
      if (Character.isSurrogate(c)) {
        boolean paired =
            Character.isHighSurrogate(c)
                && i + 1 < text.length()
                && Character.isLowSurrogate(text.charAt(i + 1));
        if (!paired) {
          return i;
        }
        i++;
      }
    }
    return -1;
  }

  private static String replaceUnstorable(String text, int from) {
    StringBuilder out = new StringBuilder(text.length()).append(text, 0, from);
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\u0000') {
        out.append('\uFFFD');
      } else if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        out.append('\uFFFD');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
