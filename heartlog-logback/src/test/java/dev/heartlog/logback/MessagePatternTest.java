package dev.heartlog.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.heartlog.agent.MessagePattern;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.MessageFormatter;

/**
 * The appender defers formatting to {@link MessagePattern} where it can and leaves the rest to
 * Logback: either way the text must be SLF4J's.
 */
class MessagePatternTest {

  private final LoggerContext context = new LoggerContext();

  /** The message as the appender makes it. */
  private String viaHeartlog(String pattern, Object... arguments) {
    MessagePattern deferred = MessagePattern.of(pattern, arguments);
    if (deferred != null) {
      return deferred.toString();
    }
    return new LoggingEvent("fqcn", context.getLogger("t"), Level.INFO, pattern, null, arguments).getFormattedMessage();
  }

  @Test
  void writesExactlyWhatSlf4jWrites() {
    UUID task = UUID.fromString("0f6c2a4e-7d1b-4a53-9a64-2f0c8d7e1b90");
    List<Object[]> cases = List.of(
        new Object[] {"Rendered frame {} of task {} in {} ms", 42, task, 17L},
        new Object[] {"{}{}{}", "a", null, 'c'},
        new Object[] {"no placeholders", 1},
        new Object[] {"more placeholders {} {} {}", 1.5d},
        new Object[] {"fewer {} placeholders", 2.5f, true, (short) 3},
        new Object[] {"{} at the start and the end {}", (byte) 7, Double.NaN},
        new Object[] {"escaped \\{} is left to SLF4J {}", "x"},
        new Object[] {"double escaped \\\\{} too", "y"},
        new Object[] {"an array {}", new int[] {1, 2}},
        new Object[] {"an object {}", List.of("a", "b")},
        new Object[] {"brace alone { and } and {}", Long.MIN_VALUE},
        new Object[] {"unicode ✓ {} ü", "ß"});
    for (Object[] c : cases) {
      String pattern = (String) c[0];
      Object[] arguments = java.util.Arrays.copyOfRange(c, 1, c.length);
      assertThat(viaHeartlog(pattern, arguments))
          .as(pattern)
          .isEqualTo(MessageFormatter.arrayFormat(pattern, arguments).getMessage());
    }
  }

  @Test
  void plainArgumentsAreDeferredAndEverythingElseIsNot() {
    assertThat(MessagePattern.of("Rendered frame {} of task {} in {} ms", new Object[] {42, UUID.randomUUID(), 17L})).isNotNull();
    assertThat(MessagePattern.of("{}{}", new Object[] {null, 'c'})).isNotNull();
    assertThat(MessagePattern.of("escaped \\{} {}", new Object[] {"x"})).isNull();
    assertThat(MessagePattern.of("an object {}", new Object[] {new StringBuilder("changes")})).isNull();
    assertThat(MessagePattern.of("an array {}", new Object[] {new int[] {1}})).isNull();
    assertThat(MessagePattern.of("no arguments {}", new Object[0])).isNull();
  }

  @Test
  void theCallersArrayIsCopiedSoReusingItChangesNothing() {
    Object[] arguments = {"first"};
    MessagePattern deferred = MessagePattern.of("value {}", arguments);
    arguments[0] = "second";
    assertThat(deferred).hasToString("value first");
  }

  @Test
  void aMessageWithoutArgumentsIsTheMessage() {
    assertThat(viaHeartlog("plain {}")).isEqualTo("plain {}");
    assertThat(viaHeartlog("plain {}", (Object[]) null)).isEqualTo("plain {}");
  }

  @Test
  void aHugeMessageIsWrittenWholeAndTheNextCallIsUnaffected() {
    String big = "x".repeat(100_000);
    assertThat(viaHeartlog("{} end", big)).hasSize(100_004);
    assertThat(viaHeartlog("small {}", 1)).isEqualTo("small 1");
  }
}
