package dev.heartlog.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.UUID;

/**
 * An event's formatted message, made for the common case without SLF4J's formatter: that one
 * allocates a {@code HashMap} per argument (to detect arrays that contain themselves) and a
 * growing builder per call, a good third of all a log call allocated through heartlog (JFR
 * allocation profile of {@code CallerCostBenchmark}).
 *
 * <p>The common case is a pattern without a backslash and arguments of plain immutable JDK types
 * (strings, boxed numbers, booleans, characters, UUIDs, {@code null}): their text cannot differ
 * from what SLF4J writes, nor can their {@code toString()} throw. Anything else (escapes, arrays,
 * other objects) is left to {@link ILoggingEvent#getFormattedMessage()}, so the result is always
 * SLF4J's.
 */
final class MessageText {

  /** Builders kept per logging thread; one grown past this is let go. */
  private static final int MAX_KEPT_CAPACITY = 4 * 1024;
  private static final ThreadLocal<StringBuilder> BUILDER = ThreadLocal.withInitial(() -> new StringBuilder(256));

  private MessageText() {}

  static String of(ILoggingEvent event) {
    String pattern = event.getMessage();
    Object[] arguments = event.getArgumentArray();
    if (pattern == null || arguments == null || arguments.length == 0 || !isPlain(pattern, arguments)) {
      return event.getFormattedMessage();
    }
    StringBuilder text = BUILDER.get();
    text.setLength(0);
    int from = 0;
    for (Object argument : arguments) {
      int at = pattern.indexOf("{}", from);
      if (at < 0) {
        break;  // more arguments than placeholders: SLF4J ignores the rest
      }
      text.append(pattern, from, at);
      append(text, argument);
      from = at + 2;
    }
    text.append(pattern, from, pattern.length());
    String message = text.toString();
    if (text.capacity() > MAX_KEPT_CAPACITY) {
      BUILDER.set(new StringBuilder(256));
    }
    return message;
  }

  private static boolean isPlain(String pattern, Object[] arguments) {
    if (pattern.indexOf('\\') >= 0) {
      return false;
    }
    for (Object argument : arguments) {
      if (argument != null
          && !(argument instanceof String
              || argument instanceof Integer
              || argument instanceof Long
              || argument instanceof Short
              || argument instanceof Byte
              || argument instanceof Double
              || argument instanceof Float
              || argument instanceof Boolean
              || argument instanceof Character
              || argument instanceof UUID)) {
        return false;
      }
    }
    return true;
  }

  private static void append(StringBuilder text, Object argument) {
    if (argument instanceof Integer number) {
      text.append(number.intValue());
    } else if (argument instanceof Long number) {
      text.append(number.longValue());
    } else {
      text.append(argument);  // String.valueOf: "null" for null, as SLF4J writes it
    }
  }
}
