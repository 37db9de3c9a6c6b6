package dev.mailroom.testkit.redis;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@code field:value} lines of an {@code INFO} or {@code CLUSTER INFO} reply as a map: the
 * fixtures decide readiness (cluster state, replication link) from these fields.
 */
final class InfoFields {
  private InfoFields() {}

  /** Parses {@code text}, skipping blank lines and {@code # Section} headers. */
  static Map<String, String> parse(String text) {
    Map<String, String> fields = new HashMap<>();
    for (String line : text.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (line.isBlank() || line.startsWith("#") || colon < 0) {
        continue;
      }
      fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
    }
    return fields;
  }

  /** Runs {@code command} on the server at {@code port} and parses its reply. */
  static Map<String, String> of(int port, String... command) {
    Object reply = Resp.once(port, command);
    if (!(reply instanceof String text)) {
      throw new IllegalStateException(String.join(" ", command) + " answered " + reply);
    }
    return parse(text);
  }
}
