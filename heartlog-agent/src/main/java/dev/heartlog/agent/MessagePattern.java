package dev.heartlog.agent;

import java.util.UUID;

/**
 * A message as an SLF4J-style call gave it, a pattern with {@code {}} placeholders and its
 * arguments, formatted only when its record is written into a batch, on the heartbeat thread. A
 * record evicted from a full buffer is never formatted, and one that is sent is formatted straight
 * into the batch's text: the thread that logs allocates a copy of the arguments instead of the
 * message's text (CallerCostBenchmark, BENCHMARKS.md §1).
 *
 * <p>Deferring is safe only for what cannot change after the call, so {@link #of} accepts a
 * pattern without backslashes (SLF4J's escapes) and arguments of plain immutable JDK types:
 * strings, boxed numbers, booleans, characters, UUIDs and {@code null}. Their text is the same
 * whenever it is written, and exactly what SLF4J's formatter writes. The arguments are copied,
 * because a caller may reuse the array it passed. For anything else {@link #of} returns {@code
 * null} and the caller formats the message itself.
 */
public final class MessagePattern {

  /** Characters counted for an argument that is not a string, in a record's memory estimate. */
  private static final int NON_TEXT_ARGUMENT_CHARS = 20;

  private final String pattern;
  private final Object[] arguments;

  private MessagePattern(String pattern, Object[] arguments) {
    this.pattern = pattern;
    this.arguments = arguments;
  }

  /**
   * The pattern and a copy of its arguments, or {@code null} when there is nothing to defer
   * (no arguments) or deferring could change the text (see the class comment).
   */
  public static MessagePattern of(String pattern, Object[] arguments) {
    if (pattern == null || arguments == null || arguments.length == 0 || pattern.indexOf('\\') >= 0) {
      return null;
    }
    for (Object argument : arguments) {
      if (!isPlain(argument)) {
        return null;
      }
    }
    return new MessagePattern(pattern, arguments.clone());
  }

  private static boolean isPlain(Object argument) {
    return argument == null
        || argument instanceof String
        || argument instanceof Integer
        || argument instanceof Long
        || argument instanceof Short
        || argument instanceof Byte
        || argument instanceof Double
        || argument instanceof Float
        || argument instanceof Boolean
        || argument instanceof Character
        || argument instanceof UUID;
  }

  /**
   * Appends the formatted message: each {@code {}} replaced by the next argument's text
   * ({@code "null"} for {@code null}); placeholders without an argument stay as they are and
   * arguments without a placeholder are left out, as SLF4J does.
   */
  public void formatTo(StringBuilder text) {
    int from = 0;
    for (Object argument : arguments) {
      int at = pattern.indexOf("{}", from);
      if (at < 0) {
        break;
      }
      text.append(pattern, from, at);
      if (argument instanceof Integer number) {
        text.append(number.intValue());
      } else if (argument instanceof Long number) {
        text.append(number.longValue());
      } else {
        text.append(argument);
      }
      from = at + 2;
    }
    text.append(pattern, from, pattern.length());
  }

  /** About how many characters the formatted message has, without formatting it. */
  int estimatedLength() {
    long length = pattern.length();
    for (Object argument : arguments) {
      length += argument instanceof String text ? text.length() : NON_TEXT_ARGUMENT_CHARS;
    }
    return (int) Math.min(Integer.MAX_VALUE, length);
  }

  /** Bytes the arguments' copy holds, for a record's memory estimate: header and references. */
  int argumentsBytes() {
    return 16 + 4 * arguments.length;
  }

  /** The formatted message. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(estimatedLength());
    formatTo(text);
    return text.toString();
  }
}
