package dev.heartlog.agent;

import java.text.MessageFormat;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * A message as a logging call gave it, a pattern and its arguments, formatted only when its record
 * is written into a batch, on the heartbeat thread. The pattern is SLF4J's ({@code {}}
 * placeholders, {@link #of}) or {@code java.text.MessageFormat}'s, as {@code java.util.logging}
 * uses it ({@code {0}}, {@link #ofMessageFormat}). A
 * record evicted from a full buffer is never formatted, and one that is sent is formatted straight
 * into the batch's text: the thread that logs allocates a copy of the arguments instead of the
 * message's text (CallerCostBenchmark, BENCHMARKS.md §1).
 *
 * <p>Deferring is safe only for what cannot change after the call, so {@link #of} accepts a
 * pattern without backslashes (SLF4J's escapes) and arguments of plain immutable JDK types:
 * strings, boxed numbers, booleans, characters, UUIDs and {@code null}. Their text is the same
 * whenever it is written, and exactly what SLF4J's formatter (or JUL's) writes. The arguments are
 * copied, because a caller may reuse the array it passed. For anything else the factories return
 * {@code null} and the caller formats the message itself.
 */
public final class MessagePattern {

  /** Characters counted for an argument that is not a string, in a record's memory estimate. */
  private static final int NON_TEXT_ARGUMENT_CHARS = 20;

  private final String pattern;
  private final Object[] arguments;
  /** {@code null} for an SLF4J pattern; for a {@code MessageFormat} pattern, the locale it formats in. */
  private final Locale locale;

  private MessagePattern(String pattern, Object[] arguments, Locale locale) {
    this.pattern = pattern;
    this.arguments = arguments;
    this.locale = locale;
  }

  /**
   * The pattern and a copy of its arguments, or {@code null} when there is nothing to defer
   * (no arguments) or deferring could change the text (see the class comment).
   */
  public static MessagePattern of(String pattern, Object[] arguments) {
    if (pattern == null || pattern.indexOf('\\') >= 0 || !allPlain(arguments)) {
      return null;
    }
    return new MessagePattern(pattern, arguments.clone(), null);
  }

  /**
   * A {@code java.text.MessageFormat} pattern ({@code {0}}, {@code {1}}) and a copy of its
   * arguments, formatted later as {@code java.util.logging}'s {@code Formatter.formatMessage}
   * formats it now: in the default format locale of this moment, the pattern itself when it does
   * not parse. Returns {@code null} when there is nothing to defer (no arguments, or no {@code {0}}
   * style placeholder, in which case JUL uses the pattern as the text) or deferring could change the
   * text: arguments that are not plain immutable values, or an element with a format type ({@code
   * {0,date}} formats in the time zone of the moment it runs).
   */
  public static MessagePattern ofMessageFormat(String pattern, Object[] arguments) {
    if (pattern == null || !hasSimpleElementsOnly(pattern) || !allPlain(arguments)) {
      return null;
    }
    return new MessagePattern(pattern, arguments.clone(), Locale.getDefault(Locale.Category.FORMAT));
  }

  /**
   * Whether the pattern has a placeholder such as {@code {0}} (JUL formats only then) and no element
   * with a format type. Every brace is looked at, quoted or not: a quoted one can only make the
   * answer "no", which formats on the caller's thread as before. The next {@code }} and {@code ,}
   * are looked for again only once a brace is past them: looked for from each brace, a message of
   * 60,000 braces took 40 ms of the logging thread, a million of them seconds.
   */
  private static boolean hasSimpleElementsOnly(String pattern) {
    boolean placeholder = false;
    int close = pattern.indexOf('}');
    int comma = pattern.indexOf(',');
    for (int open = pattern.indexOf('{'); open >= 0; open = pattern.indexOf('{', open + 1)) {
      if (close >= 0 && close < open) {
        close = pattern.indexOf('}', open);
      }
      if (comma >= 0 && comma < open) {
        comma = pattern.indexOf(',', open);
      }
      if (comma >= 0 && (close < 0 || comma < close)) {
        return false;
      }
      // JUL's own test, ASCII digits only: MessageFormat would also read other scripts' digits.
      char next = open + 1 < pattern.length() ? pattern.charAt(open + 1) : ' ';
      placeholder |= next >= '0' && next <= '9';
    }
    return placeholder;
  }

  private static boolean allPlain(Object[] arguments) {
    if (arguments == null || arguments.length == 0) {
      return false;
    }
    for (Object argument : arguments) {
      if (!isPlain(argument)) {
        return false;
      }
    }
    return true;
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
   * Appends the formatted message. An SLF4J pattern: each {@code {}} replaced by the next
   * argument's text ({@code "null"} for {@code null}); placeholders without an argument stay as
   * they are and arguments without a placeholder are left out, as SLF4J does. A {@code
   * MessageFormat} pattern: what {@code MessageFormat} makes of it in the captured locale, or the
   * pattern itself when it does not parse, as JUL does.
   */
  public void formatTo(StringBuilder text) {
    if (locale != null) {
      text.append(messageFormatted());
      return;
    }
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

  private String messageFormatted() {
    try {
      return new MessageFormat(pattern, locale).format(arguments);
    } catch (RuntimeException e) {
      return pattern;
    }
  }

  /** Whether the other writes the same text: the same pattern, kind and locale, and equal arguments. */
  boolean sameText(MessagePattern other) {
    return pattern.equals(other.pattern) && Objects.equals(locale, other.locale) && Arrays.equals(arguments, other.arguments);
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
