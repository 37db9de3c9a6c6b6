package dev.mailroom.store.redis;

import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.testkit.StorageContract;
import dev.mailroom.testkit.redis.SharedRedis;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Set;
import java.util.UUID;

/**
 * The storage contract on the shared Redis Cluster with every write waiting for its master's
 * replica ({@code waitReplicas=1}): scripts then go straight to the slot master's connection and
 * each is followed by a shared {@code WAIT}, a path of its own.
 */
class RedisClusterWaitContractIT extends StorageContract {
  private static volatile boolean acking;
  private String namespace = "unused";

  @Override
  protected Storage createStorage(InstantSource clock, RetentionPolicy retention) {
    namespace = "cw-" + UUID.randomUUID();
    if (!acking) {
      ReplicaAcks.await(SharedRedis.cluster(), Duration.ofSeconds(30));
      acking = true;
    }
    return reopen(clock, retention);
  }

  @Override
  protected Set<Capability> capabilities() {
    return Set.of(Capability.REOPEN);
  }

  @Override
  protected Storage reopen(InstantSource clock, RetentionPolicy retention) {
    return RedisStorage.open(
        RedisOptions.of(SharedRedis.cluster().uri())
            .withNamespace(namespace)
            .withWaitReplicas(1, Duration.ofSeconds(2)),
        clock,
        retention);
  }
}
