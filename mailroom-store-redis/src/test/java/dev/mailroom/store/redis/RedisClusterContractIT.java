package dev.mailroom.store.redis;

import dev.mailroom.testkit.redis.SharedRedis;

/** The storage contract on a Redis Cluster of 3 masters with a replica each (the shared one). */
class RedisClusterContractIT extends RedisContract {
  @Override
  protected RedisOptions options(String namespace) {
    return RedisOptions.of(SharedRedis.cluster().uri()).withNamespace(namespace);
  }
}
