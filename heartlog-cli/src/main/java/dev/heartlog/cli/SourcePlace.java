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
   * The message after a place at its start, in brackets or not ({@code [render.py:42] frame 7
   * done}, {@code render.py:42 frame 7 done}: {@code %(filename)s:%(lineno)d %(message)s}; a dash
   * or two after it, as Ray's {@code %(filename)s:%(lineno)s -- %(message)s} prints it, also
   * after the line's number padded, {@code model.cpp:42   - loading}), the
   * place put into {@code file} and {@code line}; the message as it is where it begins with none.
   */
  static String afterPlace(String message, RecordMetadata metadata) {
    if (message.length() < 8) {
      return message;
    }
    if (message.charAt(0) == '[') {
      int close = message.indexOf("] ");
      return close > 4 && put(message.substring(1, close), metadata) ? message.substring(close + 2) : message;
    }
    int space = message.indexOf(' ');
    if (space <= 4 || !isDigit(message.charAt(space - 1)) || !put(message.substring(0, space), metadata)) {
      return message;
    }
    // a dash or two between them: %(filename)s:%(lineno)d - %(message)s, Ray's "... -- %(message)s";
    // after a line's number padded to four ("%s:%-4d - %s", stable-diffusion.cpp's), more spaces first
    int after = space + 1;
    while (after < message.length() && after - space <= 4 && message.charAt(after) == ' ') {
      after++;
    }
    int dashes = message.startsWith("-- ", after) ? 3 : message.startsWith("- ", after) ? 2 : 0;
    return message.substring(dashes > 0 ? after + dashes : space + 1);
  }

  /**
   * The message after where the record was made, as a format puts it before " - ": the function
   * and its line ({@code %(funcName)s:%(lineno)d - }, {@code <module>:32 - frame 7 done}), into
   * {@code function} and {@code line}; with the module before them ({@code
   * %(module)s:%(funcName)s:%(lineno)d - }, as loguru's default prints them), that into {@code
   * logger}; or a place ({@code render.py:42 - }), into {@code file} and {@code line}. The message
   * as it is where it begins with none of these. A message's own {@code retry:3 - giving up} is
   * read so too: it is tried only where a format has such a slot.
   */
  static String afterFunctionAndLine(String message, RecordMetadata metadata) {
    int space = message.indexOf(' ');
    if (space < 3 || !message.startsWith("- ", space + 1) || !isDigit(message.charAt(space - 1))) {
      return message;
    }
    int lineColon = message.lastIndexOf(':', space);
    if (lineColon < 1 || space - lineColon - 1 > 9) {
      return message;
    }
    for (int i = lineColon + 1; i < space; i++) {
      if (!isDigit(message.charAt(i))) {
        return message;
      }
    }
    int functionStart = message.lastIndexOf(':', lineColon - 1) + 1;
    String function = message.substring(functionStart, lineColon);
    if (!isFunctionName(function)) {
      return put(message.substring(0, space), metadata) ? message.substring(space + 3) : message;
    }
    if (functionStart > 0) {
      String module = message.substring(0, functionStart - 1);
      if (module.isEmpty() || !module.chars().allMatch(c -> LevelNames.isWordChar((char) c) || c == '.')) {
        return message;
      }
      metadata.put("logger", module);
    }
    metadata.put("function", function);
    metadata.put("line", Integer.parseInt(message, lineColon + 1, space, 10));
    return message.substring(space + 3);
  }

  /** A Python function's name as a record gives it: a name, or {@code <module>}, {@code <lambda>}. */
  private static boolean isFunctionName(String name) {
    int start = name.startsWith("<") && name.endsWith(">") ? 1 : 0;
    if (name.length() - 2 * start < 1 || isDigit(name.charAt(start))) {
      return false;
    }
    for (int i = start; i < name.length() - start; i++) {
      if (!LevelNames.isWordChar(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
