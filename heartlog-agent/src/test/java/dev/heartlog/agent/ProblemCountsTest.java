package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemCountsTest {

  private static LogRecord record(String at, Level level) {
    return new LogRecord(Instant.parse(at), 1, level, "m", null, null);
  }

  @Test
  void countsErrorsAndWarningsPerFiveMinutesOfTheirTimestampsInOrder() {
    long period = Instant.parse("2026-11-28T12:00:00Z").getEpochSecond() / 300;

    List<List<Long>> counts = ProblemCounts.of(List.of(
        record("2026-11-28T12:05:00Z", Level.WARNING),
        record("2026-11-28T12:04:59.999Z", Level.ERROR),
        record("2026-11-28T12:00:00Z", Level.CRITICAL),
        record("2026-11-28T12:01:00Z", Level.INFO),
        record("2026-11-28T12:02:00Z", Level.DEBUG),
        record("2026-11-28T12:09:00Z", Level.WARNING)));

    assertThat(counts).containsExactly(List.of(period, 2L, 0L), List.of(period + 1, 0L, 2L));
  }

  @Test
  void aBatchWithoutProblemsHasNoCounts() {
    assertThat(ProblemCounts.of(List.of(record("2026-11-28T12:00:00Z", Level.INFO)))).isEmpty();
  }

  @Test
  void aTimeBefore1970FallsInItsOwnPeriod() {
    assertThat(ProblemCounts.of(List.of(record("1969-12-31T23:59:59Z", Level.ERROR))))
        .containsExactly(List.of(-1L, 1L, 0L));
  }
}
