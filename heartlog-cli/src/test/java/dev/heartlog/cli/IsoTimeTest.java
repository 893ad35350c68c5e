package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

class IsoTimeTest {

  /** What java.time makes of the text: the reading IsoTime must give, faster. */
  private static Instant javaTime(String text) {
    try {
      return OffsetDateTime.parse(text.trim().replace(' ', 'T')).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  @Test
  void readsWhatJavaTimeReadsAndRefusesWhatItRefuses() {
    List<String> texts = List.of(
        "2026-11-29T18:38:07Z", "2026-11-29T18:38:07.123Z", "2026-11-29T18:38:07.123456789Z",
        "2026-11-29T18:38:07.1+01:00", "2026-11-29T18:38:07.123456-05:30", "2026-11-29 18:38:07.123456+00:00",
        "  2026-11-29T18:38:07Z  ", "2024-02-29T00:00:00Z", "1999-12-31T23:59:59.999999999+18:00",
        "2026-11-29t18:38:07z",                                   // lower case: java.time's path
        "2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-29T24:00:00Z", "2026-11-29T18:60:00Z",
        "2026-11-29T18:38:07", "2026-11-29T18:38:07.Z", "2026-11-29T18:38:07.1234567890Z", "2026-11-29T18:38:07+1:00",
        "2026-11-29T18:38:07+18:30", "2026-11-29T18:38:07+0100", "2026-11-29", "soon", "", "2026/11/29 18:38:07");

    assertThat(texts).allSatisfy(text -> assertThat(IsoTime.parse(text)).as(text).isEqualTo(javaTime(text)));
    assertThat(IsoTime.parse("2026-11-29T18:38:07.123456-05:30")).isEqualTo(Instant.parse("2026-11-30T00:08:07.123456Z"));
    assertThat(texts.stream().filter(text -> javaTime(text) == null)).as("some are refused").hasSizeGreaterThan(5);
  }
}
