package dev.mailroom.store.redis;

import dev.mailroom.testkit.redis.RedisSentinel;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The storage contract through Redis Sentinel (a master, a replica, three sentinels): the store is
 * given a {@code redis-sentinel://} URI and asks the sentinels for the master.
 */
class RedisSentinelContractIT extends RedisContract {
  private static @Nullable RedisSentinel sentinel;

  @BeforeAll
  static void startSentinel() {
    sentinel = RedisSentinel.start();
  }

  @AfterAll
  static void stopSentinel() {
    if (sentinel != null) {
      sentinel.close();
    }
  }

  @Override
  protected RedisOptions options(String namespace) {
    if (sentinel == null) {
      throw new IllegalStateException("the sentinels are not running");
    }
    return RedisOptions.of(sentinel.uri()).withNamespace(namespace);
  }
}
