package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** heartlog's own messages: a problem of one kind said once a minute, whatever the clock does. */
class DiagnosticsTest {

  private final ByteArrayOutputStream said = new ByteArrayOutputStream();
  private final SteppedClock clock = new SteppedClock();
  private final Diagnostics diagnostics = new Diagnostics(new PrintStream(said, true, StandardCharsets.UTF_8), clock);

  private long linesSaid() {
    return said.toString(StandardCharsets.UTF_8).lines().count();
  }

  @Test
  void aProblemOfOneKindIsSaidAgainOnlyAfterAMinute() {
    diagnostics.problem("store", "the store does not answer");
    clock.advance(Duration.ofSeconds(30));
    diagnostics.problem("store", "the store does not answer");
    assertThat(linesSaid()).isEqualTo(1);

    clock.advance(Diagnostics.REPEAT_AFTER);
    diagnostics.problem("store", "the store does not answer");
    assertThat(linesSaid()).isEqualTo(2);
  }

  @Test
  void aClockSetBackDoesNotSilenceAProblemForAsLong() {
    diagnostics.problem("store", "the store does not answer");
    clock.advance(Duration.ofHours(-1));   // NTP, or a VM's host, sets the machine's clock back

    diagnostics.problem("store", "the store does not answer");
    clock.advance(Duration.ofSeconds(10));
    diagnostics.problem("store", "the store does not answer");

    assertThat(linesSaid()).as("said again once the clock went back, then quiet for a minute").isEqualTo(2);
  }
}
