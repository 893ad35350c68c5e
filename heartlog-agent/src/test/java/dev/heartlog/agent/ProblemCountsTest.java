package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
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
  void aFloodCountedInOneRecordCountsAsTheErrorsItStandsFor() {
    LogBuffer buffer = new LogBuffer(100, 10_000, Long.MAX_VALUE, () -> {}, new Drops());
    Instant at = Instant.parse("2026-11-28T12:00:00Z");
    for (int i = 0; i < 5_000; i++) {
      buffer.offer(at.plusNanos(i * 1_000L), Level.ERROR, "connection to redis:6379 refused, retrying", "t-1", Map.of());
    }
    buffer.offer(at.plusSeconds(1), Level.WARNING, "giving up", "t-1", Map.of());
    List<LogRecord> batch = buffer.drain(Integer.MAX_VALUE, Long.MAX_VALUE);

    assertThat(batch).as("ten errors kept, one count, the warning").hasSize(12);
    assertThat(ProblemCounts.of(batch)).containsExactly(List.of(at.getEpochSecond() / 300, 5_000L, 1L));
  }

  @Test
  void aMessageThatOnlyLooksLikeACountIsOneError() {
    Instant at = Instant.parse("2026-11-28T12:00:00Z");
    List<LogRecord> batch = List.of(
        new LogRecord(at, 1, Level.ERROR, "repeated 3 more times: the upload, then gave up", null, null),
        new LogRecord(at, 2, Level.ERROR, "repeated 3 more times: the upload", null, Map.of("repeated", 4L)),
        new LogRecord(at, 3, Level.ERROR, "repeated 3 more times", null, Map.of("repeated", 3L)),
        new LogRecord(at, 4, Level.ERROR, "repeated 3.0 more times: x", null, Map.of("repeated", 3.0)),
        new LogRecord(at, 5, Level.ERROR, "repeated 1 more time: the upload", null, Map.of("repeated", "1")),
        new LogRecord(at, 6, Level.ERROR, "repeated 7 more times: the upload", null, Map.of("repeated", 7)));

    assertThat(ProblemCounts.of(batch)).as("four records of one, a count of 1 and a count of 7")
        .containsExactly(List.of(at.getEpochSecond() / 300, 12L, 0L));
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
