package dev.mailroom.cli;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration written for people: {@code 90s}, {@code 10m}, {@code 2h}, {@code 7d}, {@code
 * 30}.
 */
final class Durations implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    if (!v.matches("[0-9]{1,12}[smhd]?")) {
      throw new TypeConversionException(
          "'" + value + "' is not a duration: a number with s, m, h or d (90s, 10m, 2h, 7d)");
    }
    boolean bare = Character.isDigit(v.charAt(v.length() - 1));
    long n = Long.parseLong(bare ? v : v.substring(0, v.length() - 1));
    char unit = bare ? 's' : v.charAt(v.length() - 1);
    return switch (unit) {
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      case 'd' -> Duration.ofDays(n);
      default -> Duration.ofSeconds(n);
    };
  }
}
