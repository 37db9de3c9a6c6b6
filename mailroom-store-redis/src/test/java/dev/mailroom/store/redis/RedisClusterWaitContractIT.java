package dev.mailroom.store.redis;

import dev.mailroom.testkit.redis.SharedRedis;
import java.time.Duration;

/**
 * The storage contract on the shared Redis Cluster with every write waiting for its master's
 * replica ({@code waitReplicas=1}): scripts then go straight to the slot master's connection and
 * each is followed by a shared {@code WAIT}, a path of its own.
 */
class RedisClusterWaitContractIT extends RedisContract {
  private static volatile boolean acking;

  @Override
  protected RedisOptions options(String namespace) {
    if (!acking) {
      ReplicaAcks.await(SharedRedis.cluster(), Duration.ofSeconds(30));
      acking = true;
    }
    return RedisOptions.of(SharedRedis.cluster().uri())
        .withNamespace(namespace)
        .withWaitReplicas(1, Duration.ofSeconds(2));
  }
}
