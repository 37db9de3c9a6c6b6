package dev.mailroom.store.redis;

import dev.mailroom.testkit.redis.RedisServer;
import dev.mailroom.testkit.redis.SharedRedis;
import java.util.List;

/**
 * The blob store contract with chunks far smaller than the suite's parts, so that every part spans
 * several chunks, the last one short, and ranges begin and end inside chunks.
 */
class RedisSmallChunkBlobStoreContractIT extends RedisBlobContract {
  @Override
  protected RedisOptions options(String namespace) {
    return RedisOptions.of(SharedRedis.standalone().uri()).withNamespace(namespace);
  }

  @Override
  protected List<RedisServer> servers() {
    return List.of(SharedRedis.standalone());
  }

  @Override
  protected int chunkSize() {
    return 10_000;
  }
}
