package dev.mailroom.store.redis;

import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.testkit.StorageContract;
import java.time.InstantSource;
import java.util.Set;
import java.util.UUID;

/**
 * The storage contract on a real Redis deployment: each storage gets a namespace of its own (so in
 * a Cluster each test's keys land in a slot of their own), and reopening connects to the same
 * namespace again.
 */
abstract class RedisContract extends StorageContract {
  private String namespace = "unused";

  /** How a storage of this suite reaches Redis, in the given namespace. */
  protected abstract RedisOptions options(String namespace);

  @Override
  protected final Storage createStorage(InstantSource clock, RetentionPolicy retention) {
    namespace = getClass().getSimpleName() + "-" + UUID.randomUUID();
    return reopen(clock, retention);
  }

  @Override
  protected final Set<Capability> capabilities() {
    return Set.of(Capability.REOPEN);
  }

  @Override
  protected final Storage reopen(InstantSource clock, RetentionPolicy retention) {
    return RedisStorage.open(options(namespace), clock, retention);
  }
}
