package dev.mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.store.redis.RedisOptions;
import dev.mailroom.testkit.MutableClock;
import dev.mailroom.testkit.redis.RedisSentinel;
import dev.mailroom.testkit.redis.SharedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Buckets in Redis on each kind of deployment: two connections (as two nodes) on one namespace
 * share one bucket per key, whether the URI names a standalone server, a Cluster node or the
 * sentinels of a master.
 */
class RedisBucketsIT {
  private static final int CAPACITY = 4;

  private final MutableClock clock = MutableClock.of(Instant.parse("2026-06-01T00:00:00Z"));
  private final String namespace = "buckets-" + UUID.randomUUID();

  @Test
  void twoNodesShareABucketOnAStandaloneServer() {
    RedisOptions options = RedisOptions.of(SharedRedis.standalone().uri()).withNamespace(namespace);

    assertTwoNodesShareOneBucket(options);

    try (RedisClient client = RedisClient.create(SharedRedis.standalone().uri());
        StatefulRedisConnection<String, String> c = client.connect()) {
      String prefix = "{" + namespace + ":ratelimit:agent:";
      String suffix = "}:4-1-60000ms";
      assertThat(c.sync().keys("{" + namespace + ":*"))
          .containsExactlyInAnyOrder(prefix + "alice" + suffix, prefix + "bob" + suffix);
      assertThat(c.sync().pttl(prefix + "alice" + suffix))
          .as("the key expires once the bucket is full again")
          .isPositive();
    }
  }

  @Test
  void twoNodesShareABucketInACluster() {
    assertTwoNodesShareOneBucket(
        RedisOptions.of(SharedRedis.cluster().uri()).withNamespace(namespace));
  }

  @Test
  void twoNodesShareABucketThroughSentinel() {
    try (RedisSentinel sentinel = RedisSentinel.start()) {
      assertTwoNodesShareOneBucket(RedisOptions.of(sentinel.uri()).withNamespace(namespace));
    }
  }

  private void assertTwoNodesShareOneBucket(RedisOptions options) {
    var limit = Buckets.refilling(CAPACITY, 1, Duration.ofMinutes(1));
    try (RedisBuckets one = RedisBuckets.connect(options, "agent", limit, clock);
        RedisBuckets two = RedisBuckets.connect(options, "agent", limit, clock)) {
      for (int i = 0; i < CAPACITY; i++) {
        assertThat((i % 2 == 0 ? one : two).take("alice")).as("take %d", i).isEmpty();
      }

      assertThat(one.take("alice")).contains(Duration.ofSeconds(60));
      assertThat(two.take("alice")).contains(Duration.ofSeconds(60));
      assertThat(two.take("bob")).as("another key has its own bucket").isEmpty();

      clock.advance(Duration.ofSeconds(45));
      assertThat(two.take("alice")).contains(Duration.ofSeconds(15));
      clock.advance(Duration.ofSeconds(15)); // a minute: one token back
      assertThat(two.take("alice")).isEmpty();
      assertThat(one.take("alice")).contains(Duration.ofSeconds(60));
    }
  }
}
