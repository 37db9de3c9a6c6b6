package dev.mailroom.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Draft;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.OutgoingMessage;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.Role;
import dev.mailroom.core.SendMode;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.Route;
import dev.mailroom.core.spi.SendResult;
import dev.mailroom.testkit.redis.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@code waitReplicas} on a standalone master with one replica: the path where the script and its
 * {@code WAIT} share the store's one connection.
 */
class RedisStandaloneWaitIT {
  private static final Duration WAIT_TIMEOUT = Duration.ofMillis(300);

  @Test
  void aWriteReturnsOnceItsReplicaHasIt() throws InterruptedException {
    try (RedisServer master = RedisServer.start();
        RedisServer replica = RedisServer.start()) {
      follow(replica, master);
      try (RedisStorage s =
              RedisStorage.open(
                  RedisOptions.of(master.uri())
                      .withNamespace("standalone")
                      .withWaitReplicas(1, WAIT_TIMEOUT),
                  InstantSource.system(),
                  RetentionPolicy.DEFAULTS);
          RedisStorage unwaiting =
              RedisStorage.open(
                  RedisOptions.of(master.uri()).withNamespace("standalone"),
                  InstantSource.system(),
                  RetentionPolicy.DEFAULTS)) {
        AgentId a = agent(s, "a");
        AgentId b = agent(s, "b");
        SendResult sent = send(s, a, b);
        assertThat(sent).isInstanceOf(SendResult.Accepted.class);
        // Acknowledged means the replica has it already.
        MessageId id = ((SendResult.Accepted) sent).id();
        KeySpace keys = new KeySpace("standalone", s.shards());
        Boolean there =
            Nodes.on(
                replica, c -> c.sync().hexists(keys.key(keys.shard(id), "msgs"), Codec.hex(id)));
        assertThat(there).isTrue();

        replica.kill();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> send(s, a, b))
            .isInstanceOf(MailroomException.Unavailable.class)
            .hasMessageContaining("0 of 1 replicas");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2_000);
        // Without waiting, the master alone acknowledges.
        assertThat(send(unwaiting, a, b)).isInstanceOf(SendResult.Accepted.class);

        replica.restart();
        follow(replica, master);
        assertThat(send(s, a, b)).isInstanceOf(SendResult.Accepted.class);
      }
    }
  }

  /** A WAIT that Lettuce sent again after a reconnect does not confirm the write before it. */
  @Test
  void aWaitOfAnotherSessionDoesNotConfirmAWrite() throws Exception {
    try (RedisServer master = RedisServer.start();
        RedisServer replica = RedisServer.start()) {
      follow(replica, master);
      try (RedisStorage s =
          RedisStorage.open(
              RedisOptions.of(master.uri())
                  .withNamespace("session")
                  .withWaitReplicas(1, Duration.ofSeconds(3)),
              InstantSource.system(),
              RetentionPolicy.DEFAULTS)) {
        AgentId a = agent(s, "a");
        AgentId b = agent(s, "b");
        String pid = Nodes.pid(replica);
        Nodes.signal("STOP", pid);
        try {
          var sending = CompletableFuture.supplyAsync(() -> send(s, a, b));
          Nodes.cutClientBlockedInWait(master);
          Thread.sleep(200);
          Nodes.signal("CONT", pid);
          assertThatThrownBy(sending::join)
              .hasCauseInstanceOf(MailroomException.Unavailable.class)
              .hasMessageContaining("dropped");
        } finally {
          Nodes.signal("CONT", pid);
        }
        assertThat(send(s, a, b)).isInstanceOf(SendResult.Accepted.class);
      }
    }
  }

  /** Makes {@code replica} replicate {@code master} and waits until WAIT counts it. */
  private static void follow(RedisServer replica, RedisServer master) throws InterruptedException {
    RedisClient client = RedisClient.create(replica.uri());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      c.sync().replicaof("127.0.0.1", master.port());
      for (int i = 0; i < 100; i++) {
        // Up on both ends, and answering WAIT: just after a sync the first WAITs may count 0.
        if (c.sync().info("replication").contains("master_link_status:up")
            && Nodes.on(
                    master,
                    m -> {
                      m.sync().set("follow", "1");
                      return m.sync().waitForReplication(1, 100);
                    })
                == 1) {
          return;
        }
        Thread.sleep(25);
      }
      throw new AssertionError("the replica did not connect to its master");
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
  }

  private static AgentId agent(RedisStorage s, String name) {
    AgentId id = AgentId.of(name);
    s.agents().create(new AgentRecord(id, Set.of(Role.AGENT), Instant.now()), "hash-" + name);
    return id;
  }

  private static SendResult send(RedisStorage s, AgentId from, AgentId to) {
    Draft draft = Draft.text(SendMode.DIRECT, Optional.of(MailboxName.of(to.value())), "hello");
    return s.messages()
        .send(
            new OutgoingMessage(from, draft, Duration.ofDays(1)),
            new Route.ToMailbox(MailboxName.of(to.value()), MailboxKind.AGENT));
  }
}
