package dev.mailroom.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.Role;
import dev.mailroom.core.delivery.DeliveryMode;
import dev.mailroom.core.delivery.Subscription;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.topic.SubscriptionPattern;
import dev.mailroom.testkit.MutableClock;
import dev.mailroom.testkit.redis.SharedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The per-agent caps on Redis beyond the storage contract: subscriptions saved by a Mailroom from
 * before the caps (with no per-agent index) are counted once a node opens the store.
 */
class RedisAgentCapsIT {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private final MutableClock clock = MutableClock.of(START);
  private final String namespace = "caps-" + UUID.randomUUID();

  private RedisStorage open() {
    return RedisStorage.open(
        RedisOptions.of(SharedRedis.standalone().uri()).withNamespace(namespace),
        clock,
        RetentionPolicy.DEFAULTS);
  }

  private static Subscription subscription(String id, AgentId agent) {
    return new Subscription(
        SubscriptionId.of(id),
        agent,
        SubscriptionPattern.of("news." + id),
        DeliveryMode.REALTIME,
        MessageFilter.NONE,
        10,
        Duration.ofSeconds(5),
        100,
        false,
        START);
  }

  @Test
  void subscriptionsSavedBeforeTheCapsCountWhenANodeOpensTheStoreAgain() {
    AgentId bob = AgentId.of("bob");
    try (RedisStorage s = open()) {
      s.agents().create(new AgentRecord(bob, Set.of(Role.AGENT), START), "h1");
      s.deliveries().saveSubscription(subscription("s1", bob));
      s.deliveries().saveSubscription(subscription("s2", bob));
    }
    // What an older Mailroom left: the subscriptions without the per-agent index.
    RedisClient client = RedisClient.create(SharedRedis.standalone().uri());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      c.sync().del("{" + namespace + "}:subagent", "{" + namespace + "}:sa:bob");
    } finally {
      client.shutdown();
    }

    try (RedisStorage s = open()) {
      assertThat(s.deliveries().subscriptionCount(bob)).isEqualTo(2);
      assertThat(s.deliveries().saveSubscription(subscription("s3", bob), 2)).isFalse();
      assertThat(s.deliveries().deleteSubscription(SubscriptionId.of("s1"))).isTrue();
      assertThat(s.deliveries().subscriptionCount(bob)).isEqualTo(1);
    }
  }
}
