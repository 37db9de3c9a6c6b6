package dev.mailroom.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real 3-master, 1-replica-each cluster: formed, every slot covered, keys on the right master,
 * replicated, and a failover when a master dies. One cluster for the class; the failover test
 * leaves it healthy again.
 */
class RedisClusterIT {
  private static RedisCluster cluster;

  @BeforeAll
  static void startCluster() {
    long started = System.nanoTime();
    cluster = RedisCluster.start(3, 1);
    System.out.printf(
        "RedisCluster.start(3, 1) took %d ms%n", (System.nanoTime() - started) / 1_000_000);
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Test
  void everyNodeSeesAHealthyClusterWithEverySlotCovered() {
    assertThat(cluster.nodes()).hasSize(6);
    assertThat(cluster.uris()).hasSize(6).allMatch(u -> u.matches("redis://127\\.0\\.0\\.1:\\d+"));
    assertThat(cluster.uris()).contains(cluster.uri());
    assertThat(cluster.masters()).hasSize(3);
    assertThat(cluster.replicas()).hasSize(3).doesNotContainAnyElementsOf(cluster.masters());
    for (RedisServer node : cluster.nodes()) {
      Map<String, String> info = InfoFields.of(node.port(), "CLUSTER", "INFO");
      assertThat(info)
          .containsEntry("cluster_state", "ok")
          .containsEntry("cluster_slots_assigned", "16384")
          .containsEntry("cluster_slots_ok", "16384")
          .containsEntry("cluster_known_nodes", "6")
          .containsEntry("cluster_size", "3");
    }
    List<SlotRange> ranges = SlotRange.of(livePort());
    int next = 0;
    for (SlotRange range : ranges) {
      assertThat(range.first()).isEqualTo(next);
      next = range.last() + 1;
    }
    assertThat(next).isEqualTo(16384);
    assertThat(cluster.masterForSlot(0)).isSameAs(cluster.masters().get(0));
    assertThat(cluster.masterForSlot(16383)).isSameAs(cluster.masters().get(2));
  }

  @Test
  void aKeyWrittenToItsMasterIsReadableThereAndOnItsReplica() {
    int slot = slotOf("mailbox:alice");
    RedisServer master = cluster.masterForSlot(slot);
    try (Resp resp = Resp.connect(master.port())) {
      assertThat(resp.call("SET", "mailbox:alice", "inbox")).isEqualTo("OK");
      assertThat(resp.call("GET", "mailbox:alice")).isEqualTo("inbox");
      assertThat(resp.call("WAIT", "1", "5000")).isEqualTo(1L);
    }
    RedisServer other = cluster.masters().stream().filter(m -> m != master).findFirst().get();
    assertThatThrownBy(() -> Resp.once(other.port(), "GET", "mailbox:alice"))
        .isInstanceOf(Resp.ErrorReply.class)
        .hasMessageStartingWith("MOVED " + slot + " 127.0.0.1:" + master.port());
    RedisServer replica = replicaOf(master);
    try (Resp resp = Resp.connect(replica.port())) {
      assertThat(resp.call("READONLY")).isEqualTo("OK");
      assertThat(resp.call("GET", "mailbox:alice")).isEqualTo("inbox");
    }
  }

  @Test
  void aKilledMasterIsReplacedByItsReplicaAndRejoinsAsReplica() {
    int slot = slotOf("mailbox:bob");
    RedisServer master = cluster.masterForSlot(slot);
    RedisServer replica = replicaOf(master);
    try (Resp resp = Resp.connect(master.port())) {
      resp.call("SET", "mailbox:bob", "sent");
      assertThat(resp.call("WAIT", "1", "5000")).isEqualTo(1L);
    }

    long killed = System.nanoTime();
    master.kill();
    cluster.awaitHealthy(Duration.ofSeconds(30));
    System.out.printf("failover took %d ms%n", (System.nanoTime() - killed) / 1_000_000);

    assertThat(cluster.masterForSlot(slot)).isSameAs(replica);
    assertThat(Resp.once(replica.port(), "GET", "mailbox:bob")).isEqualTo("sent");

    master.restart();
    cluster.awaitHealthy(Duration.ofSeconds(30));
    assertThat(cluster.masters()).hasSize(3).doesNotContain(master);
    assertThat(cluster.replicas()).contains(master);
  }

  private static int slotOf(String key) {
    Object slot = Resp.once(livePort(), "CLUSTER", "KEYSLOT", key);
    return Math.toIntExact((Long) slot);
  }

  private static int livePort() {
    return cluster.nodes().stream().filter(RedisServer::isRunning).findFirst().orElseThrow().port();
  }

  /** The running replica whose master is {@code master}, by INFO replication. */
  private static RedisServer replicaOf(RedisServer master) {
    return cluster.replicas().stream()
        .filter(RedisServer::isRunning)
        .filter(
            r ->
                Integer.toString(master.port())
                    .equals(InfoFields.of(r.port(), "INFO", "replication").get("master_port")))
        .findFirst()
        .orElseThrow();
  }
}
