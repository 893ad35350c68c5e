package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.FunctionLadder.Step;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Which heartbeat call a transport makes, stepping down and back up by its clock. */
class FunctionLadderTest {

  private static final Duration RETRY = Duration.ofMinutes(5);

  private final SteppedClock clock = new SteppedClock();
  private final FunctionLadder ladder = new FunctionLadder(RETRY, clock);

  @Test
  void aStepDownHoldsUntilTheRetryIntervalHasPassed() {
    assertThat(ladder.start()).isEqualTo(Step.HEARTLOG_FUNCTION);
    assertThat(ladder.stepDown()).isTrue();

    clock.advance(Duration.ofMinutes(4));
    assertThat(ladder.start()).isEqualTo(Step.SEED_FUNCTION);
    clock.advance(Duration.ofMinutes(1));
    assertThat(ladder.start()).isEqualTo(Step.HEARTLOG_FUNCTION);
  }

  @Test
  void aClockSetBackDoesNotHoldTheStepDownForAsLong() {
    ladder.start();
    ladder.stepDown();

    clock.advance(Duration.ofHours(-1));   // NTP, or a VM's host, sets the machine's clock back

    assertThat(ladder.start()).as("heartlog's function tried again, not an hour and 5 minutes later")
        .isEqualTo(Step.HEARTLOG_FUNCTION);
  }
}
