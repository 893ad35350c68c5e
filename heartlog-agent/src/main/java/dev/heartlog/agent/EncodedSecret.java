package dev.heartlog.agent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One value to mask, in the forms a worker prints it: as it is; percent-encoded, as it reads in
 * a URL a worker prints ({@code p%40ss%2Fword}, {@code p%40ss+word}, any mix of encoded and
 * plain characters, either case of hex); escaped inside a JSON string the worker printed
 * ({@code p\"ss}, a character beyond ASCII as {@code \}{@code uXXXX}); and base64-encoded within
 * a longer text, as in an {@code Authorization: Basic} header that encodes {@code user:password}.
 *
 * <p>Only the characters that encoders change have more than one form: ASCII letters and digits
 * read the same in every one. So every URL or JSON form holds the value's longest run of them
 * (its {@link #anchor}), and a text without the anchor is never searched with the pattern.
 */
final class EncodedSecret {

  /**
   * The shortest part of a value's base64 that is masked: a value's base64 inside a longer text
   * is fixed only where its own bits make up whole characters, and a part shorter than this
   * (from a value of fewer than 7 bytes) could be found in other base64 by chance.
   */
  static final int SHORTEST_BASE64 = 8;

  private final String value;
  /** The value inside a JSON string, as a batch's text holds it. */
  private final String inJson;
  /** Every URL and JSON form of the value, or null where the value has only the one form. */
  private final Pattern encoded;
  /** The value's longest run of ASCII letters and digits, which every form of it holds. */
  private final String anchor;
  /** The parts of the value's base64 that do not depend on the bytes around it. */
  private final List<String> base64;

  private EncodedSecret(String value, String inJson, Pattern encoded, String anchor, List<String> base64) {
    this.value = value;
    this.inJson = inJson;
    this.encoded = encoded;
    this.anchor = anchor;
    this.base64 = base64;
  }

  /**
   * The forms of {@code value}.
   *
   * @param inJson the value as it reads inside a JSON string
   */
  static EncodedSecret of(String value, String inJson) {
    return new EncodedSecret(value, inJson, encodedForms(value), longestPlainRun(value), base64Parts(value));
  }

  /**
   * Whether a batch's JSON text may hold the value in one of its forms. A yes may be wrong (the
   * anchor alone, in another word), and costs a search of the records; a no is always right.
   */
  boolean mayAppearIn(String json) {
    if (json.contains(inJson) || (encoded != null && json.contains(anchor))) {
      return true;
    }
    for (String part : base64) {
      if (json.contains(part)) {
        return true;
      }
    }
    return false;
  }

  /** {@code text} with each form of the value replaced by {@code mask}. */
  String mask(String text, String mask) {
    text = text.replace(value, mask);
    if (encoded != null && text.contains(anchor)) {
      text = encoded.matcher(text).replaceAll(Matcher.quoteReplacement(mask));
    }
    for (String part : base64) {
      text = text.replace(part, mask);
    }
    return text;
  }

  /**
   * A pattern of every URL and JSON form of {@code value}: each character that is not an ASCII
   * letter or digit as itself, as {@code %XX} for each of its UTF-8 bytes, and where JSON
   * escapes it, as JSON escapes it; a space also as {@code +}. Null where every character is a
   * letter or digit.
   */
  private static Pattern encodedForms(String value) {
    StringBuilder pattern = new StringBuilder();
    boolean anyEncoded = false;
    for (int i = 0; i < value.length(); ) {
      int codePoint = value.codePointAt(i);
      i += Character.charCount(codePoint);
      if (isPlain(codePoint)) {
        pattern.append((char) codePoint);
        continue;
      }
      anyEncoded = true;
      String character = new String(Character.toChars(codePoint));
      List<String> forms = new ArrayList<>();
      forms.add(Pattern.quote(character));
      forms.add(percentEncoded(character));
      if (codePoint == ' ') {
        forms.add("\\+");
      } else if (codePoint == '"' || codePoint == '\\' || codePoint == '/') {
        forms.add(Pattern.quote("\\" + character));
      } else if (codePoint > 0x7e || codePoint < 0x20) {
        forms.add(jsonEscaped(character));
      }
      pattern.append("(?:").append(String.join("|", forms)).append(')');
    }
    return anyEncoded ? Pattern.compile(pattern.toString()) : null;
  }

  private static boolean isPlain(int codePoint) {
    return (codePoint >= 'a' && codePoint <= 'z') || (codePoint >= 'A' && codePoint <= 'Z')
        || (codePoint >= '0' && codePoint <= '9');
  }

  /** {@code %XX} for each UTF-8 byte of {@code character}, either case of hex. */
  private static String percentEncoded(String character) {
    StringBuilder pattern = new StringBuilder();
    for (byte b : character.getBytes(StandardCharsets.UTF_8)) {
      pattern.append('%').append(eitherCase(String.format(Locale.ROOT, "%02X", b & 0xff)));
    }
    return pattern.toString();
  }

  /** {@code \}{@code uXXXX} for each UTF-16 unit of {@code character}, either case of hex. */
  private static String jsonEscaped(String character) {
    StringBuilder pattern = new StringBuilder();
    for (char unit : character.toCharArray()) {
      pattern.append("\\\\u").append(eitherCase(String.format(Locale.ROOT, "%04X", (int) unit)));
    }
    return pattern.toString();
  }

  private static String eitherCase(String hex) {
    StringBuilder pattern = new StringBuilder();
    for (char digit : hex.toCharArray()) {
      if (Character.isLetter(digit)) {
        pattern.append('[').append(digit).append(Character.toLowerCase(digit)).append(']');
      } else {
        pattern.append(digit);
      }
    }
    return pattern.toString();
  }

  private static String longestPlainRun(String value) {
    String longest = "";
    int start = 0;
    for (int i = 0; i <= value.length(); i++) {
      if (i == value.length() || !isPlain(value.charAt(i))) {
        if (i - start > longest.length()) {
          longest = value.substring(start, i);
        }
        start = i + 1;
      }
    }
    return longest;
  }

  /**
   * The parts of the value's base64 that read the same whatever bytes come before and after it:
   * for each of the three places its first byte can take in a group of three, the characters
   * made of its bits alone. Both alphabets, the standard one and the URL's ({@code -_}).
   */
  private static List<String> base64Parts(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    List<String> parts = new ArrayList<>();
    for (int before = 0; before < 3; before++) {
      byte[] shifted = new byte[before + bytes.length];
      System.arraycopy(bytes, 0, shifted, before, bytes.length);
      String encoded = Base64.getEncoder().withoutPadding().encodeToString(shifted);
      int first = (before * 8 + 5) / 6;   // the first character with no bit of the bytes before
      int end = shifted.length * 8 / 6;    // past the last character with no bit of the bytes after
      String part = encoded.substring(first, end);
      if (part.length() >= SHORTEST_BASE64) {
        parts.add(part);
        String urlSafe = part.replace('+', '-').replace('/', '_');
        if (!urlSafe.equals(part)) {
          parts.add(urlSafe);
        }
      }
    }
    return List.copyOf(parts);
  }
}
