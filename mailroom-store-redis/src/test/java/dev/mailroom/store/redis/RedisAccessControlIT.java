package dev.mailroom.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.Message;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.Role;
import dev.mailroom.core.audit.AuditQuery;
import dev.mailroom.core.audit.AuditRecord;
import dev.mailroom.core.delivery.Subscription;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.ChangeListener;
import dev.mailroom.core.spi.Recipient;
import dev.mailroom.testkit.AuditRecords;
import dev.mailroom.testkit.MutableClock;
import dev.mailroom.testkit.redis.SharedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Access control on Redis beyond the storage contract: every agent and policy change reaches the
 * other nodes on the namespace, agents stored before token expiry existed keep working, and an
 * audit record edited in Redis is handed out as stored, so that verifying its chain finds the edit.
 */
class RedisAccessControlIT {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private final MutableClock clock = MutableClock.of(START);
  private final String namespace = "access-" + UUID.randomUUID();

  private RedisStorage open() {
    return RedisStorage.open(
        RedisOptions.of(SharedRedis.standalone().uri()).withNamespace(namespace),
        clock,
        RetentionPolicy.DEFAULTS);
  }

  @Test
  void everyAgentAndPolicyChangeReachesEveryNodeItsOwnIncluded() {
    try (RedisStorage here = open();
        RedisStorage there = open()) {
      Recorder heardHere = new Recorder();
      Recorder heardThere = new Recorder();
      here.listen(heardHere);
      there.listen(heardThere);
      AgentId bob = AgentId.of("bob");

      here.agents().create(new AgentRecord(bob, Set.of(Role.AGENT), START), "h1");
      here.agents().replaceToken(bob, "h2", Optional.of(START.plusSeconds(60)));
      here.agents().revokeToken(bob);
      here.agents().revokeToken(AgentId.of("nobody"));
      here.agents().replaceRoles(bob, Set.of(Role.OBSERVER));
      here.access().replacePolicy(0, "{}");
      here.access().replacePolicy(0, "stale");
      here.access().replacePolicy(1, "{\"rules\":[]}");

      List<String> expected =
          List.of("resync", "agent bob", "agent bob", "agent bob", "agent bob", "access", "access");
      // A node has heard of its own change when the change returns.
      assertThat(heardHere.calls()).isEqualTo(expected);
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(heardThere.calls()).isEqualTo(expected));
      there.agents().replaceRoles(bob, Set.of(Role.AGENT));
      List<String> then = new ArrayList<>(expected);
      then.add("agent bob");
      assertThat(heardThere.calls()).isEqualTo(then);
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(heardHere.calls()).isEqualTo(then));
    }
  }

  @Test
  void anAgentStoredBeforeTokenExpiryExistedKeepsWorking() {
    AgentRecord erin = new AgentRecord(AgentId.of("erin"), Set.of(Role.AGENT), START);
    RedisClient client = RedisClient.create(SharedRedis.standalone().uri());
    try (StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE)) {
      String prefix = "{" + namespace + "}:";
      c.sync()
          .hset(
              Codec.utf8(prefix + "agents"),
              Codec.utf8("erin"),
              LegacyRecords.agentVersionOne(erin));
      c.sync().hset(Codec.utf8(prefix + "tokens"), Codec.utf8("old"), Codec.utf8("erin"));
      c.sync().hset(Codec.utf8(prefix + "tokenof"), Codec.utf8("erin"), Codec.utf8("old"));
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }

    try (RedisStorage s = open()) {
      assertThat(s.agents().findByTokenHash("old")).contains(erin);

      assertThat(s.agents().replaceRoles(erin.id(), Set.of(Role.ADMIN))).isTrue();
      Optional<Instant> expiry = Optional.of(START.plus(Duration.ofDays(1)));
      assertThat(s.agents().replaceToken(erin.id(), "new", expiry)).isTrue();

      AgentRecord now = new AgentRecord(erin.id(), Set.of(Role.ADMIN), START, expiry);
      assertThat(s.agents().findByTokenHash("new")).contains(now);
      assertThat(s.agents().findByTokenHash("old")).isEmpty();
      assertThat(s.agents().revokeToken(erin.id())).isTrue();
      assertThat(s.agents().findByTokenHash("new")).isEmpty();
      assertThat(s.agents().find(erin.id())).contains(now);
    }
  }

  @Test
  void anEditedAuditRecordIsReadAsEditedAndAnUnreadableOneIsLeftOut() {
    try (RedisStorage s = open()) {
      List<AuditRecord> log = AuditRecords.chain("node-1", 0, 3, START);
      s.audit().append(log);
      String records = "{" + namespace + "}:ar:node-1#";
      Nodes.on(
          SharedRedis.standalone(),
          c -> c.sync().hset(records + "0000000000000000001", "actor", "mallory"));
      Nodes.on(SharedRedis.standalone(), c -> c.sync().hdel(records + "0000000000000000002", "at"));

      AuditRecord asStored = AuditRecords.withActor(log.get(1), "mallory");
      assertThat(s.audit().chain("node-1", 0, 10)).containsExactly(log.get(0), asStored);
      assertThat(s.audit().query(AuditQuery.all(10)).records())
          .containsExactly(log.get(0), asStored);
    }
  }

  /** Remembers the calls a node's change listener gets, as short texts. Thread-safe. */
  private static final class Recorder implements ChangeListener {
    private final List<String> calls = new ArrayList<>();

    synchronized List<String> calls() {
      return List.copyOf(calls);
    }

    private synchronized void add(String call) {
      calls.add(call);
    }

    @Override
    public void subscriptionSaved(Subscription subscription) {
      add("subscription saved " + subscription.id());
    }

    @Override
    public void subscriptionDeleted(SubscriptionId id) {
      add("subscription deleted " + id);
    }

    @Override
    public void topicChanged(MailboxName topic) {
      add("topic " + topic);
    }

    @Override
    public void agentChanged(AgentId agent) {
      add("agent " + agent);
    }

    @Override
    public void accessChanged() {
      add("access");
    }

    @Override
    public void stored(Message message, List<Recipient> pushed, List<AgentId> reached) {
      add("stored " + message.id() + " reached " + reached);
    }

    @Override
    public void resync() {
      add("resync");
    }
  }
}
