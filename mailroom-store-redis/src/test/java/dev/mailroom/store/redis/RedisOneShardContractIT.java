package dev.mailroom.store.redis;

import dev.mailroom.testkit.redis.SharedRedis;

/**
 * The storage contract on a namespace of one shard: the layout of a namespace made before shards,
 * whose keys all stay under {@code {namespace}:}, in one Cluster slot.
 */
class RedisOneShardContractIT extends RedisContract {
  @Override
  protected RedisOptions options(String namespace) {
    return RedisOptions.of(SharedRedis.cluster().uri()).withNamespace(namespace).withShards(1);
  }
}
