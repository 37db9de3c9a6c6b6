package dev.mailroom.store.redis;

import dev.mailroom.testkit.redis.SharedRedis;

/** The storage contract on a standalone {@code redis-server} (the JVM's shared one). */
class RedisStorageContractIT extends RedisContract {
  @Override
  protected RedisOptions options(String namespace) {
    return RedisOptions.of(SharedRedis.standalone().uri()).withNamespace(namespace);
  }
}
