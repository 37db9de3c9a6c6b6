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

  int integer(String name, int fallback) {
    return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
  }

  Duration seconds(String name, int fallback) {
    return Duration.ofSeconds(integer(name, fallback));
  }

  String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }
}
