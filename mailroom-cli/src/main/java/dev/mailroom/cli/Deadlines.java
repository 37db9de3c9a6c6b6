package dev.mailroom.cli;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A deadline as an option gives it: an RFC 3339 date-time with an offset ({@code
 * 2026-12-07T17:00:00Z}), or a duration from now as {@link Durations} reads it ({@code 30m}).
 */
final class Deadlines implements ITypeConverter<Instant> {
  @Override
  public Instant convert(String value) {
    if (value.strip().matches("[0-9]{1,12}[smhdSMHD]?")) {
      return Instant.now().plus(new Durations().convert(value));
    }
    try {
      return OffsetDateTime.parse(value.strip()).toInstant();
    } catch (DateTimeParseException e) {
      throw new TypeConversionException(
          "'"
              + value
              + "' is not a deadline: a date-time with an offset (2026-12-07T17:00:00Z) or a"
              + " duration from now (90s, 30m, 2h)");
    }
  }
}
