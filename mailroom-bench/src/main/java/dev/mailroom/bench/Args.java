package dev.mailroom.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** {@code --name value} pairs with typed defaults. */
final class Args {
  private final Map<String, String> values = new HashMap<>();

  Args(String[] argv, int from) {
    for (int i = from; i < argv.length; i++) {
      if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
        throw new IllegalArgumentException("expected --name value, got " + argv[i]);
      }
      values.put(argv[i].substring(2), argv[++i]);
    }
  }

  /** The names given, without their dashes. */
  java.util.Set<String> names() {
    return values.keySet();
  }

  int integer(String name, int fallback) {
    return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
  }

  Duration seconds(String name, int fallback) {
    return Duration.ofSeconds(integer(name, fallback));
  }

  /**
   * A size in bytes: a number with an optional binary unit ({@code 8MiB}, {@code 1GiB}, {@code
   * 64KiB}; {@code k}, {@code m}, {@code g} alike), or plain bytes.
   */
  long bytes(String name, long fallback) {
    if (!values.containsKey(name)) {
      return fallback;
    }
    String v = values.get(name).trim().toLowerCase(java.util.Locale.ROOT).replace("ib", "");
    int shift =
        switch (v.isEmpty() ? ' ' : v.charAt(v.length() - 1)) {
          case 'k' -> 10;
          case 'm' -> 20;
          case 'g' -> 30;
          default -> 0;
        };
    String number = shift == 0 ? v : v.substring(0, v.length() - 1);
    return Long.parseLong(number.trim()) << shift;
  }

  String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }
}
