package dev.mailroom.server;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for the value formats of configuration settings. */
final class ConfigValues {
  private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|KiB|MB|MiB|GB|GiB)?");

  private ConfigValues() {}

  /**
   * A duration: ISO-8601 ({@code PT1H}, {@code P7D}), or numbers with units {@code ms s m h d},
   * possibly combined ({@code 30s}, {@code 7d}, {@code 1h30m}), or a bare number of seconds.
   */
  static Duration duration(String text) {
    String s = text.strip();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("is empty; expected a duration such as 30s, 7d or PT1H");
    }
    char first = s.charAt(0);
    if (first == 'P' || first == 'p' || first == '-' || first == '+') {
      try {
        return Duration.parse(s.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw notDuration(text);
      }
    }
    if (s.chars().allMatch(Character::isDigit)) {
      return Duration.ofSeconds(longOf(s, text));
    }
    Matcher m = DURATION_PART.matcher(s);
    Duration total = Duration.ZERO;
    int at = 0;
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at) {
        throw notDuration(text);
      }
      long n = longOf(m.group(1), text);
      try {
        total =
            total.plus(
                switch (m.group(2)) {
                  case "ms" -> Duration.ofMillis(n);
                  case "s" -> Duration.ofSeconds(n);
                  case "m" -> Duration.ofMinutes(n);
                  case "h" -> Duration.ofHours(n);
                  case "d" -> Duration.ofDays(n);
                  default -> throw notDuration(text);
                });
      } catch (ArithmeticException e) {
        throw notDuration(text);
      }
      at = m.end();
    }
    return total;
  }

  /** A byte size: a number of bytes, optionally with a unit (KiB, MiB, GiB, or KB, MB, GB). */
  static int size(String text) {
    long n = bytes(text);
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("'" + text + "' is too large (at most 2GiB - 1)");
    }
    return (int) n;
  }

  /**
   * A byte size as {@link #size} reads it, without its 2 GiB ceiling: for amounts such as free disk
   * space, which pass it easily ({@code 10GiB}).
   */
  static long bytes(String text) {
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a size such as 1048576, 512KiB or 1MiB");
    }
    long n = longOf(m.group(1), text);
    long unit =
        m.group(2) == null
            ? 1
            : switch (m.group(2)) {
              case "KB" -> 1000L;
              case "KiB" -> 1024L;
              case "MB" -> 1000L * 1000;
              case "MiB" -> 1024L * 1024;
              case "GB" -> 1000L * 1000 * 1000;
              case "GiB" -> 1024L * 1024 * 1024;
              default -> 1;
            };
    if (n > Long.MAX_VALUE / unit) {
      throw new IllegalArgumentException("'" + text + "' is out of range");
    }
    return n * unit;
  }

  /** A whole number between {@code min} and {@code max}. */
  static int integer(String text, int min, int max) {
    long n;
    try {
      n = Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      n = Long.MIN_VALUE;
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a whole number between " + min + " and " + max);
    }
    return (int) n;
  }

  /** A decimal number between {@code min} and {@code max}. */
  static double decimal(String text, double min, double max) {
    double n;
    try {
      n = Double.parseDouble(text.strip());
    } catch (NumberFormatException e) {
      n = Double.NaN;
    }
    if (!(n >= min && n <= max)) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a number between " + min + " and " + max);
    }
    return n;
  }

  /** {@code true} or {@code false}. */
  static boolean bool(String text) {
    return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("'" + text + "' is not true or false");
    };
  }

  private static long longOf(String digits, String text) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is out of range");
    }
  }

  private static IllegalArgumentException notDuration(String text) {
    return new IllegalArgumentException(
        "'" + text + "' is not a duration such as 30s, 15m, 7d, 1h30m or PT1H");
  }
}
