package dev.mailroom.core.spi;

import java.util.Map;

/**
 * A store's state for the health report.
 *
 * @param up whether it serves reads and writes
 * @param backend a short name such as {@code sqlite} or {@code redis}
 * @param details backend-specific facts (path, sizes, queue depth); values are strings or numbers
 */
public record StoreHealth(boolean up, String backend, Map<String, Object> details) {
  public StoreHealth {
    details = Map.copyOf(details);
  }
}
