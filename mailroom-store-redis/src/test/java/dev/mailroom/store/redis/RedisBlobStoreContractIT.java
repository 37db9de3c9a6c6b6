package dev.mailroom.store.redis;

import dev.mailroom.testkit.redis.RedisServer;
import dev.mailroom.testkit.redis.SharedRedis;
import java.util.List;

/** The blob store contract on a standalone {@code redis-server} (the JVM's shared one). */
class RedisBlobStoreContractIT extends RedisBlobContract {
  @Override
  protected RedisOptions options(String namespace) {
    return RedisOptions.of(SharedRedis.standalone().uri()).withNamespace(namespace);
  }

  @Override
  protected List<RedisServer> servers() {
    return List.of(SharedRedis.standalone());
  }
}
