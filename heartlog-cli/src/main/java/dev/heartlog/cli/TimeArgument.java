package dev.heartlog.cli;

import dev.heartlog.agent.AgentEnvironment;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A point in time given as an age ({@code 30s}, {@code 15m}, {@code 2h}: that long ago) or as a
 * timestamp ({@code 2026-11-27T22:00:00Z}, {@code 2026-11-27 22:00}, {@code 2026-11-27}; UTC
 * unless it carries an offset).
 */
final class TimeArgument implements ITypeConverter<Instant> {

  private final Clock clock;

  TimeArgument() {
    this(Clock.systemUTC());
  }

  TimeArgument(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Instant convert(String value) {
    String text = value.trim();
    if (text.matches("\\d+(\\.\\d+)?(ms|s|m|h)") || text.matches("\\d+d")) {
      if (text.endsWith("d")) {
        return clock.instant().minus(java.time.Duration.ofDays(Long.parseLong(text.substring(0, text.length() - 1))));
      }
      return clock.instant().minus(AgentEnvironment.duration("time", text));
    }
    String iso = text.replace(' ', 'T');
    try {
      return OffsetDateTime.parse(iso).toInstant();
    } catch (DateTimeParseException notWithOffset) {
      // Try the forms without an offset, read as UTC.
    }
    try {
      return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException notLocal) {
      // Try a bare date.
    }
    try {
      return LocalDate.parse(iso).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new TypeConversionException(
          "'" + value + "' is neither an age (30s, 15m, 2h, 1d) nor a timestamp (2026-11-27T22:00:00Z)");
    }
  }
}
