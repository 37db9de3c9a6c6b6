package dev.mailroom.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
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
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Deleting an agent on Redis beyond the storage contract: a deletion that stopped after its first
 * step (a node died) leaves the agent unable to authenticate, its id unavailable to a new
 * registration, and the next deletion finishes it.
 */
class RedisAgentDeletionIT {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private final MutableClock clock = MutableClock.of(START);
  private final RedisOptions options =
      RedisOptions.of(SharedRedis.standalone().uri())
          .withNamespace("deletion-" + UUID.randomUUID());

  @Test
  void aDeletionThatStoppedAfterItsFirstStepIsFinishedByTheNext() {
    AgentId alice = AgentId.of("alice");
    AgentId bob = AgentId.of("bob");
    try (RedisStorage s = RedisStorage.open(options, clock, RetentionPolicy.DEFAULTS);
        RedisLink link = RedisLink.connect(options, clock)) {
      s.agents().create(new AgentRecord(alice, Set.of(Role.AGENT), START), "hash-alice");
      s.agents().create(new AgentRecord(bob, Set.of(Role.AGENT), START), "hash-bob");
      s.deliveries().saveSubscription(subscription(bob));

      // A node runs the first step only, and dies.
      List<Object> begun =
          link.run(new Scripts().deleteAgent(), ScriptOutputType.MULTI, bob.value());
      assertThat(Codec.text((byte[]) begun.getFirst())).isEqualTo("begun");
      assertThat(s.messages().mailbox(MailboxName.of("bob"))).isPresent();

      assertThat(s.agents().find(bob)).isEmpty();
      assertThat(s.agents().findByTokenHash("hash-bob")).isEmpty();
      assertThatThrownBy(
              () -> s.agents().create(new AgentRecord(bob, Set.of(Role.AGENT), START), "hash-new"))
          .isInstanceOf(MailroomException.Conflict.class)
          .hasMessageContaining("being deleted");

      assertThat(s.agents().delete(bob)).isTrue();

      assertThat(s.deliveries().subscription(SubscriptionId.of("s-bob"))).isEmpty();
      assertThat(s.messages().mailbox(MailboxName.of("bob"))).isEmpty();
      assertThat(s.agents().delete(bob)).isFalse();
      s.agents().create(new AgentRecord(bob, Set.of(Role.AGENT), START), "hash-new");
      assertThat(s.agents().findByTokenHash("hash-new")).isPresent();
    }
  }

  private static Subscription subscription(AgentId agent) {
    return new Subscription(
        SubscriptionId.of("s-" + agent.value()),
        agent,
        SubscriptionPattern.of("news"),
        DeliveryMode.REALTIME,
        MessageFilter.NONE,
        10,
        Duration.ofSeconds(5),
        100,
        false,
        START);
  }
}
