package dev.mailroom.store.redis;

import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.testkit.StorageContract;
import dev.mailroom.testkit.redis.SharedRedis;
import java.time.InstantSource;
import java.util.Set;
import java.util.UUID;

/**
 * The storage contract on a real Redis Cluster (3 masters, 1 replica each): each storage gets a
 * namespace of its own, so each test's keys land in a slot of their own and the tests spread over
 * the masters.
 */
class RedisClusterContractIT extends StorageContract {
  private String namespace = "unused";

  @Override
  protected Storage createStorage(InstantSource clock, RetentionPolicy retention) {
    namespace = "c-" + UUID.randomUUID();
    return reopen(clock, retention);
  }

  @Override
  protected Set<Capability> capabilities() {
    return Set.of(Capability.REOPEN);
  }

  @Override
  protected Storage reopen(InstantSource clock, RetentionPolicy retention) {
    return RedisStorage.open(
        RedisOptions.of(SharedRedis.cluster().uri()).withNamespace(namespace), clock, retention);
  }
}
