package dev.heartlog.agent.jul;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.MessagePattern;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The JUL handler defers {@code {0}}-style messages to {@link MessagePattern#ofMessageFormat}
 * where it can and formats the rest as JUL's formatters do: either way the text must be JUL's.
 */
class MessageFormatDeferralTest {

  private static final Locale DEFAULT_FORMAT_LOCALE = Locale.getDefault(Locale.Category.FORMAT);

  @AfterEach
  void restoreLocale() {
    Locale.setDefault(Locale.Category.FORMAT, DEFAULT_FORMAT_LOCALE);
  }

  /** What JUL's formatters make of the call at the moment it is made. */
  private static String viaJul(String pattern, Object... arguments) {
    LogRecord record = new LogRecord(Level.INFO, pattern);
    record.setParameters(arguments);
    return new SimpleFormatter().formatMessage(record);
  }

  /** What the handler makes of it: deferred where it can be, formatted by JUL otherwise. */
  private static String viaHeartlog(String pattern, Object... arguments) {
    MessagePattern deferred = MessagePattern.ofMessageFormat(pattern, arguments);
    return deferred != null ? deferred.toString() : viaJul(pattern, arguments);
  }

  @Test
  void writesExactlyWhatJulWrites() {
    Locale.setDefault(Locale.Category.FORMAT, Locale.US);
    UUID task = UUID.fromString("0f6c2a4e-7d1b-4a53-9a64-2f0c8d7e1b90");
    List<Object[]> cases = List.of(
        new Object[] {"Rendered frame {0} of task {1} in {2} ms", 42, task, 17L},
        new Object[] {"grouped {0} and {1}", 1234567, 3.14159d},
        new Object[] {"out of order {1} {0} {1}", "a", null},
        new Object[] {"missing argument {3}", 'c', true},
        new Object[] {"quoted '{0}' and it''s {0}", "x"},
        new Object[] {"not closed {0", "x"},
        new Object[] {"no placeholder at all", 1},
        new Object[] {"SLF4J style {} is not JUL's", 1},
        new Object[] {"a brace at the end {", 1},
        new Object[] {"not an ASCII digit {\u0661}", "x"},
        new Object[] {"typed {0,number,#.##} element", 2.345d},
        new Object[] {"a date {0,date}", 0L},
        new Object[] {"a choice {0,choice,0#none|1#one|1<many}", 2},
        new Object[] {"an array {0}", new int[] {1, 2}},
        new Object[] {"a list {0}", List.of("a", "b")},
        new Object[] {"unicode ✓ {0} ü", "ß"});
    for (Object[] c : cases) {
      String pattern = (String) c[0];
      Object[] arguments = Arrays.copyOfRange(c, 1, c.length);
      assertThat(viaHeartlog(pattern, arguments)).as(pattern).isEqualTo(viaJul(pattern, arguments));
    }
  }

  @Test
  void deferredMessagesFormatInTheLocaleOfTheCall() {
    Locale.setDefault(Locale.Category.FORMAT, Locale.GERMANY);
    MessagePattern deferred = MessagePattern.ofMessageFormat("{0} frames", new Object[] {1234567});
    String atTheCall = viaJul("{0} frames", 1234567);
    Locale.setDefault(Locale.Category.FORMAT, Locale.US);

    assertThat(atTheCall).isEqualTo("1.234.567 frames");
    assertThat(deferred).hasToString(atTheCall);
  }

  @Test
  void onlyPlainArgumentsAndSimplePlaceholdersAreDeferred() {
    assertThat(MessagePattern.ofMessageFormat("frame {0} of {1}", new Object[] {42, UUID.randomUUID()})).isNotNull();
    assertThat(MessagePattern.ofMessageFormat("quoted '{0}' {1}", new Object[] {null, 'c'})).isNotNull();
    // JUL uses the pattern as it is: nothing to format later.
    assertThat(MessagePattern.ofMessageFormat("no placeholder", new Object[] {1})).isNull();
    assertThat(MessagePattern.ofMessageFormat("SLF4J {}", new Object[] {1})).isNull();
    assertThat(MessagePattern.ofMessageFormat("frame {0}", new Object[0])).isNull();
    assertThat(MessagePattern.ofMessageFormat("frame {0}", null)).isNull();
    assertThat(MessagePattern.ofMessageFormat(null, new Object[] {1})).isNull();
    // Could format differently later: a mutable argument, a time zone read at format time.
    assertThat(MessagePattern.ofMessageFormat("at {0}", new Object[] {new java.util.Date(0)})).isNull();
    assertThat(MessagePattern.ofMessageFormat("list {0}", new Object[] {new StringBuilder("a")})).isNull();
    assertThat(MessagePattern.ofMessageFormat("at {0,time}", new Object[] {0L})).isNull();
    assertThat(MessagePattern.ofMessageFormat("{0} then {1,date}", new Object[] {1, 0L})).isNull();
    // Commas and braces before, between and after the elements: the next } and , are carried
    // along from brace to brace, not looked for again from each.
    assertThat(MessagePattern.ofMessageFormat("a, b} {0} c, d {1}", new Object[] {1, 2})).isNotNull();
    assertThat(MessagePattern.ofMessageFormat("{0} c, d {1} {2,number}", new Object[] {1, 2, 3})).isNull();
    assertThat(MessagePattern.ofMessageFormat("{".repeat(60_000) + "{0}", new Object[] {1})).isNotNull();
    assertThat(MessagePattern.ofMessageFormat("{".repeat(60_000) + "{0,number}", new Object[] {1})).isNull();
    assertThat(MessagePattern.ofMessageFormat("{0} {1", new Object[] {1, 2})).as("a brace never closed, no comma").isNotNull();
    assertThat(MessagePattern.ofMessageFormat("{0} {1 ,", new Object[] {1, 2})).as("a comma after a brace never closed").isNull();
  }

  @Test
  void reusingTheCallersArrayChangesNothing() {
    Object[] arguments = {"first", 1};
    MessagePattern deferred = MessagePattern.ofMessageFormat("{0} {1}", arguments);
    arguments[0] = "changed";
    arguments[1] = 2;

    assertThat(deferred).hasToString("first 1");
  }
}
