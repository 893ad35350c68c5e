package dev.heartlog.cli;

import dev.heartlog.agent.RecordMetadata;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a record was made, as a format prints it beside the level or the logger: a file's name
 * and a line, {@code render.py:42} ({@code %(filename)s:%(lineno)d}, Logback's {@code %file:%line}).
 * Kept as the record's {@code file} and {@code line}, as the readers of formats that always print
 * one keep them, not as its logger or its thread, nor in its message.
 */
final class SourcePlace {

  /**
   * A source file's name, by the languages' own endings, and a line: not a host and its port
   * ({@code [redis.internal:6379] connection refused} stays the message it is).
   */
  private static final Pattern PLACE = Pattern.compile("(?<file>[\\w./-]{0,299}\\w\\."
      + "(?:py|java|kt|scala|groovy|go|rs|js|mjs|cjs|ts|rb|php|c|cc|cpp|cxx|h|hpp|cs|swift|ex|exs|lua|pl|sh)"
      + "):(?<line>\\d{1,9})");

  private SourcePlace() {}

  /** Puts the place the text names into {@code file} and {@code line}; whether it names one. */
  static boolean put(String text, RecordMetadata metadata) {
    int colon = text.lastIndexOf(':');
    if (colon < 3 || colon == text.length() - 1 || text.charAt(colon - 1) == ':') {
      return false;
    }
    for (int i = colon + 1; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;   // a thread's name, a logger's: no line number after a colon
      }
    }
    Matcher place = PLACE.matcher(text);
    if (!place.matches()) {
      return false;
    }
    metadata.put("file", place.group("file"));
    metadata.put("line", Integer.parseInt(place.group("line")));
    return true;
  }

  /**
   * The message after a place in brackets at its start ({@code [render.py:42] frame 7 done}),
   * the place put into {@code file} and {@code line}; the message as it is where it begins with
   * none.
   */
  static String afterBracketed(String message, RecordMetadata metadata) {
    if (message.length() < 8 || message.charAt(0) != '[') {
      return message;
    }
    int close = message.indexOf("] ");
    return close > 4 && put(message.substring(1, close), metadata) ? message.substring(close + 2) : message;
  }
}
