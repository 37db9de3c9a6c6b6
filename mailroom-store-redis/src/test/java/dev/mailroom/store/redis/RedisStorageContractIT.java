package dev.mailroom.store.redis;

import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.testkit.StorageContract;
import dev.mailroom.testkit.redis.SharedRedis;
import java.time.InstantSource;
import java.util.Set;
import java.util.UUID;

/**
 * The storage contract on a real standalone {@code redis-server}: each storage gets a namespace of
 * its own on the JVM's shared server, and reopening connects to the same namespace again.
 */
class RedisStorageContractIT extends StorageContract {
  private String namespace = "unused";

  @Override
  protected Storage createStorage(InstantSource clock, RetentionPolicy retention) {
    namespace = "t-" + UUID.randomUUID();
    return reopen(clock, retention);
  }

  @Override
  protected Set<Capability> capabilities() {
    return Set.of(Capability.REOPEN);
  }

  @Override
  protected Storage reopen(InstantSource clock, RetentionPolicy retention) {
    return RedisStorage.open(
        RedisOptions.of(SharedRedis.standalone().uri()).withNamespace(namespace), clock, retention);
  }
}
