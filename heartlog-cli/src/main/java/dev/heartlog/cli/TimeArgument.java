package dev.heartlog.cli;

import dev.heartlog.store.TimeSpec;
import java.time.Clock;
import java.time.Instant;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --since}/{@code --until} values, as {@link TimeSpec} reads them. */
final class TimeArgument implements ITypeConverter<Instant> {

  @Override
  public Instant convert(String value) {
    try {
      return TimeSpec.parse(value, Clock.systemUTC());
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
