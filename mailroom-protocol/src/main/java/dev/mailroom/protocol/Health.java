package dev.mailroom.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer to {@code GET /health} and {@code GET /health/ready}.
 *
 * @param status {@code UP} or {@code DOWN}
 * @param components each component's report, in the order the server gave them; each has at least a
 *     {@code status} entry
 */
public record Health(String status, Map<String, Map<String, Object>> components) {
  public static final String UP = "UP";
  public static final String DOWN = "DOWN";

  public Health {
    components = Collections.unmodifiableMap(new LinkedHashMap<>(components));
  }
}
