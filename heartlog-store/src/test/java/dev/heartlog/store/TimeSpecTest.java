package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimeSpecTest {

  private static final Instant NOW = Instant.parse("2026-12-01T04:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @Test
  void anAgeIsThatLongAgoAndSeveralPartsAddUp() {
    assertThat(TimeSpec.parse("30s", CLOCK)).isEqualTo(NOW.minusSeconds(30));
    assertThat(TimeSpec.parse(" 2h ", CLOCK)).isEqualTo(NOW.minus(Duration.ofHours(2)));
    assertThat(TimeSpec.parse("1h30m", CLOCK)).isEqualTo(NOW.minus(Duration.ofMinutes(90)));
    assertThat(TimeSpec.parse("1d12h", CLOCK)).isEqualTo(NOW.minus(Duration.ofHours(36)));
    assertThat(TimeSpec.parse("1m500ms", CLOCK)).isEqualTo(NOW.minusMillis(60_500));
    assertThat(TimeSpec.parse("1s".repeat(30_000), CLOCK)).as("read a part at a time: as one expression it overflowed the stack")
        .isEqualTo(NOW.minusSeconds(30_000));
    assertThat(TimeSpec.length("--retention", "1h".repeat(30_000))).isEqualTo(Duration.ofHours(30_000));
  }

  @Test
  void aTimestampIsUtcUnlessItCarriesAnOffset() {
    assertThat(TimeSpec.parse("2026-11-27T22:00:00Z", CLOCK)).isEqualTo(Instant.parse("2026-11-27T22:00:00Z"));
    assertThat(TimeSpec.parse("2026-11-27 22:00", CLOCK)).isEqualTo(Instant.parse("2026-11-27T22:00:00Z"));
    assertThat(TimeSpec.parse("2026-11-27T22:00+01:00", CLOCK)).isEqualTo(Instant.parse("2026-11-27T21:00:00Z"));
    assertThat(TimeSpec.parse("2026-11-27", CLOCK)).isEqualTo(Instant.parse("2026-11-27T00:00:00Z"));
  }

  @Test
  void aTimeOfDayIsItsLastTimeTodayOrYesterdayUtcUnlessItCarriesAnOffset() {
    assertThat(TimeSpec.parse("03:15", CLOCK)).as("earlier today").isEqualTo(Instant.parse("2026-12-01T03:15:00Z"));
    assertThat(TimeSpec.parse("4:00", CLOCK)).as("now").isEqualTo(NOW);
    assertThat(TimeSpec.parse("22:30:15.5", CLOCK)).as("still to come today: yesterday's")
        .isEqualTo(Instant.parse("2026-11-30T22:30:15.500Z"));
    assertThat(TimeSpec.parse("04:30+01:00", CLOCK)).as("03:30 UTC").isEqualTo(Instant.parse("2026-12-01T03:30:00Z"));
    assertThat(TimeSpec.parse("05:30+01:00", CLOCK)).as("04:30 UTC, to come: yesterday's")
        .isEqualTo(Instant.parse("2026-11-30T04:30:00Z"));
    assertThat(TimeSpec.parse("today", CLOCK)).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    assertThat(TimeSpec.parse("Yesterday", CLOCK)).isEqualTo(Instant.parse("2026-11-30T00:00:00Z"));
    assertThatThrownBy(() -> TimeSpec.parse("25:00", CLOCK)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'25:00' is not a time of day (22:00, 22:00:30, 22:00+01:00)");
  }

  @Test
  void aLengthOfTimeNeedsItsUnit() {
    assertThat(TimeSpec.length("--retention", "7d")).isEqualTo(Duration.ofDays(7));
    assertThat(TimeSpec.length("--retention", "1d12h")).isEqualTo(Duration.ofHours(36));
    assertThatThrownBy(() -> TimeSpec.length("--retention", "48")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--retention must be a length of time with its unit, such as 48h, 7d or 1d12h (got '48')");
    assertThatThrownBy(() -> TimeSpec.length("--retention", "99999999999999999999d")).hasMessageContaining("is too long");
  }

  @Test
  void whatIsNeitherOrReachesBeyondAnyTimeIsOneSentence() {
    assertThatThrownBy(() -> TimeSpec.parse("last week", CLOCK)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'last week' is neither an age (30s, 15m, 2h, 1d, 1h30m), a timestamp (2026-11-27T22:00:00Z), "
            + "a time of day (22:00, UTC) nor today or yesterday");
    assertThatThrownBy(() -> TimeSpec.parse("1h30", CLOCK)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("'1h30' is neither an age");
    // Past Instant's range, past a long's days, past a long's digits: not a DateTimeException
    // the query API would answer with 500.
    for (String age : new String[] {"9999999999999d", "106751991167300d1d", "99999999999999999999d"}) {
      assertThatThrownBy(() -> TimeSpec.parse(age, CLOCK)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("'" + age + "' is too long an age");
    }
  }

  @Test
  void aTimeOutsideTheYearsOfFourDigitsIsRefusedAsNoStoreHoldsIt() {
    // Java reads years up to a billion: PostgreSQL refused them ("timestamp out of range"), and
    // GET /api/tasks?until=-999999999-01-01T00:00:00Z answered 500 taking 48 hours off it.
    for (String time : new String[] {"+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "+10000-01-01",
        "0000-12-31T23:59:59Z", "0001-01-01T00:30:00+01:00"}) {
      assertThatThrownBy(() -> TimeSpec.parse(time, CLOCK)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("'" + time + "' is outside the years 0001 to 9999");
    }
    assertThat(TimeSpec.parse("0001-01-01", CLOCK)).isEqualTo(Instant.parse("0001-01-01T00:00:00Z"));
    assertThat(TimeSpec.parse("9999-12-31T23:59:59Z", CLOCK)).isEqualTo(Instant.parse("9999-12-31T23:59:59Z"));
    // 740,000 days back from 2026 is before the year 1: an age as long is refused as those are.
    assertThatThrownBy(() -> TimeSpec.parse("740000d", CLOCK)).hasMessage("'740000d' is too long an age");
    assertThat(TimeSpec.parse("730000d", CLOCK)).isAfter(Instant.parse("0001-01-01T00:00:00Z"));
  }
}
