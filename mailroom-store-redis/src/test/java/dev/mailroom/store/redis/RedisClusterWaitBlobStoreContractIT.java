package dev.mailroom.store.redis;

import dev.mailroom.testkit.redis.RedisServer;
import dev.mailroom.testkit.redis.SharedRedis;
import java.time.Duration;
import java.util.List;

/**
 * The blob store contract on the shared Redis Cluster with every write waiting for its master's
 * replica ({@code waitReplicas=1}): each chunk is then written on its slot master's own connection
 * and confirmed by a {@code WAIT} there, as scripts are.
 */
class RedisClusterWaitBlobStoreContractIT extends RedisBlobContract {
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

  @Override
  protected List<RedisServer> servers() {
    return SharedRedis.cluster().masters();
  }
}
