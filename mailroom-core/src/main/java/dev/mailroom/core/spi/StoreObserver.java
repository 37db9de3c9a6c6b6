package dev.mailroom.core.spi;

/**
 * Told how long each unit of a store's own work took, for the server's latency metric: a Redis
 * command or script, or an embedded store's group commit (its batch of writes, from its first
 * statement to its commit on disk). Called on the store's threads, so it must be quick and never
 * block.
 */
@FunctionalInterface
public interface StoreObserver {
  StoreObserver NONE = (operation, nanos, failed) -> {};

  /**
   * @param operation {@code command} (Redis) or {@code commit} (the embedded store)
   * @param nanos how long it took
   * @param failed whether it failed
   */
  void timed(String operation, long nanos, boolean failed);
}
