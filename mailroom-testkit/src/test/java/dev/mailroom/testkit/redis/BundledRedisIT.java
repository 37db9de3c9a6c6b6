package dev.mailroom.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The fixtures on the redis-server bundled in the embedded-redis jar (Redis 6.2), as a machine
 * without Redis on PATH would run them: Redis 6.2 lacks CLUSTER ADDSLOTSRANGE and more, which the
 * cluster formation must work around.
 */
class BundledRedisIT {
  private static final RedisServer.Options BUNDLED =
      RedisServer.Options.defaults().binary(RedisBinaries.redisServer(""));

  @Test
  void standaloneServerKeepsAnAppendOnlyKeyAcrossAKill() {
    try (RedisServer redis = RedisServer.start(BUNDLED.appendFsync("always"))) {
      assertThat(String.valueOf(Resp.once(redis.port(), "INFO", "server")))
          .contains("redis_version:6.2");
      Resp.once(redis.port(), "SET", "k", "v");
      redis.kill();
      redis.restart();
      assertThat(Resp.once(redis.port(), "GET", "k")).isEqualTo("v");
    }
  }

  @Test
  void clusterFormsAndServesKeys() {
    try (RedisCluster cluster = RedisCluster.start(3, 1, BUNDLED)) {
      cluster.awaitHealthy(Duration.ofSeconds(5));
      assertThat(cluster.masters()).hasSize(3);
      long slot = (Long) Resp.once(cluster.nodes().get(0).port(), "CLUSTER", "KEYSLOT", "k");
      RedisServer master = cluster.masterForSlot(Math.toIntExact(slot));
      assertThat(Resp.once(master.port(), "SET", "k", "v")).isEqualTo("OK");
      assertThat(Resp.once(master.port(), "GET", "k")).isEqualTo("v");
    }
  }

  @Test
  void sentinelSetupStarts() {
    try (RedisSentinel sentinel = RedisSentinel.start(BUNDLED)) {
      assertThat(Resp.once(sentinel.master().port(), "PING")).isEqualTo("PONG");
    }
  }
}
