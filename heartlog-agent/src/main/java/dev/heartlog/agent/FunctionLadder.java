package dev.heartlog.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Which heartbeat call a store supports, best first, as a transport learns it: heartlog's
 * function, then the seed's 5-argument function, then the seed's plain update of the worker's
 * row. A transport steps down when the store says the function is missing, and climbs back to
 * the top once {@code retryInterval} has passed, so a store that gains the function is used
 * fully again. Shared by the JDBC and HTTP transports; not thread-safe (the heartbeat thread
 * uses it).
 */
public final class FunctionLadder {

  /** The calls, best first. */
  public enum Step {
    HEARTLOG_FUNCTION,
    SEED_FUNCTION,
    WORKERS_UPDATE
  }

  private final Duration retryInterval;
  private final Clock clock;
  private Step step = Step.HEARTLOG_FUNCTION;
  private Instant steppedDownAt = Instant.MIN;

  public FunctionLadder(Duration retryInterval, Clock clock) {
    this.retryInterval = retryInterval;
    this.clock = clock;
  }

  /**
   * Starts a delivery: back to the top once the retry interval has passed since a step down, or
   * once the clock reads earlier than the step down (set back: by its reading, the interval would
   * have held for as long again). Call it once per heartbeat, then {@link #step()} while stepping
   * down within it.
   */
  public Step start() {
    Instant now = clock.instant();
    if (step != Step.HEARTLOG_FUNCTION
        && (now.isBefore(steppedDownAt) || !now.isBefore(steppedDownAt.plus(retryInterval)))) {
      step = Step.HEARTLOG_FUNCTION;
    }
    return step;
  }

  /** The call to make now. */
  public Step step() {
    return step;
  }

  /**
   * Steps down after the store said the current call's function is missing.
   *
   * @return {@code false} when already at the bottom (the workers update failed)
   */
  public boolean stepDown() {
    if (step == Step.WORKERS_UPDATE) {
      return false;
    }
    step = step == Step.HEARTLOG_FUNCTION ? Step.SEED_FUNCTION : Step.WORKERS_UPDATE;
    steppedDownAt = clock.instant();
    return true;
  }
}
