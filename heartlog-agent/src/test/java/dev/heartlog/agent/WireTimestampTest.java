package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WireTimestampTest {

  @Test
  void timestampsMatchTheIsoFormatterAcrossCalendarEdges() {
    DateTimeFormatter iso = DateTimeFormatter
        .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    List<Instant> instants = new ArrayList<>(List.of(
        Instant.EPOCH,
        Instant.parse("1969-12-31T23:59:59.999999999Z"),
        Instant.parse("2000-02-29T12:00:00.000001Z"),
        Instant.parse("2024-02-29T23:59:59.5Z"),
        Instant.parse("2100-03-01T00:00:00Z"),
        Instant.parse("0000-01-01T00:00:00Z"),
        Instant.parse("9999-12-31T23:59:59.999999Z")));
    Random random = new Random(42);
    for (int i = 0; i < 100_000; i++) {
      instants.add(Instant.ofEpochSecond(
          random.nextLong(-62_167_219_200L, 253_402_300_800L), random.nextInt(1_000_000_000)));
    }
    for (Instant instant : instants) {
      assertThat(WireTimestamp.format(instant)).as(instant.toString()).isEqualTo(iso.format(instant));
    }
    // Beyond year 9999 the formatter's own output is kept.
    Instant far = Instant.parse("+10000-01-01T00:00:00Z");
    assertThat(WireTimestamp.format(far)).isEqualTo(iso.format(far));
  }
}
