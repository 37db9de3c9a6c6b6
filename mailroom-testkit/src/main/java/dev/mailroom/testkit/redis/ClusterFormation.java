package dev.mailroom.testkit.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns freshly started cluster-enabled nodes into a cluster, the way {@code redis-cli --cluster
 * create} would, but over {@link Resp} so that CI needs no redis-cli: distinct config epochs, an
 * even split of the 16384 slots over the masters, MEET, REPLICATE, then a wait until every node
 * agrees. Works with Redis 6.2 (the bundled binary) as well as 7.
 */
final class ClusterFormation {
  private final List<RedisServer> masters;
  private final List<RedisServer> replicas;
  private final int replicasPerMaster;
  private final Duration timeout;

  /**
   * @param replicas the replicas of master 0 first, then those of master 1, and so on
   */
  private ClusterFormation(
      List<RedisServer> masters,
      List<RedisServer> replicas,
      int replicasPerMaster,
      Duration timeout) {
    this.masters = masters;
    this.replicas = replicas;
    this.replicasPerMaster = replicasPerMaster;
    this.timeout = timeout;
  }

  /**
   * Forms the cluster and returns once every node reports {@code cluster_state:ok} with all slots
   * served, knows every other node and every replica relation, and every replica's link to its
   * master is up.
   *
   * @param replicas {@code replicasPerMaster} replicas for each master, those of master 0 first
   */
  static void form(
      List<RedisServer> masters,
      List<RedisServer> replicas,
      int replicasPerMaster,
      Duration timeout) {
    new ClusterFormation(masters, replicas, replicasPerMaster, timeout).form();
  }

  private void form() {
    List<RedisServer> nodes = new ArrayList<>(masters);
    nodes.addAll(replicas);
    for (int i = 0; i < nodes.size(); i++) {
      // Distinct epochs up front spare the nodes a round of epoch-collision resolution.
      Resp.once(nodes.get(i).port(), "CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(i + 1));
    }
    for (int i = 0; i < masters.size(); i++) {
      int first = i * SlotRange.SLOTS / masters.size();
      int last = (i + 1) * SlotRange.SLOTS / masters.size() - 1;
      addSlots(masters.get(i).port(), first, last);
    }
    int seed = nodes.get(0).port();
    for (RedisServer node : nodes.subList(1, nodes.size())) {
      Resp.once(seed, "CLUSTER", "MEET", "127.0.0.1", Integer.toString(node.port()));
    }
    Poll.until("every node to know all " + nodes.size(), timeout, () -> allKnown(nodes));
    for (int i = 0; i < replicas.size(); i++) {
      replicate(replicas.get(i), masters.get(i / replicasPerMaster));
    }
    Poll.until("the cluster to be formed", timeout, () -> formed(nodes));
  }

  /** ADDSLOTSRANGE where there is one (Redis 7), else ADDSLOTS with every slot of the range. */
  private static void addSlots(int port, int first, int last) {
    try {
      Resp.once(port, "CLUSTER", "ADDSLOTSRANGE", Integer.toString(first), Integer.toString(last));
    } catch (Resp.ErrorReply unknownSubcommand) {
      List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
      for (int slot = first; slot <= last; slot++) {
        command.add(Integer.toString(slot));
      }
      try (Resp resp = Resp.connect(port)) {
        resp.call(command);
      }
    }
  }

  /** REPLICATE, retried: the replica may not have heard of its master's id through gossip yet. */
  private void replicate(RedisServer replica, RedisServer master) {
    try (Resp resp = Resp.connect(master.port())) {
      String masterId = resp.text("CLUSTER", "MYID");
      Poll.until(
          replica + " to replicate " + master,
          timeout,
          () -> {
            Resp.once(replica.port(), "CLUSTER", "REPLICATE", masterId);
            return null;
          });
    }
  }

  private static @Nullable String allKnown(List<RedisServer> nodes) {
    for (RedisServer node : nodes) {
      List<String> lines = ClusterNodes.of(node.port());
      long settled =
          lines.stream().filter(l -> !l.contains("handshake") && !l.contains("noaddr")).count();
      if (settled < nodes.size()) {
        return node + " knows " + settled + " of " + nodes.size() + " nodes";
      }
    }
    return null;
  }

  private @Nullable String formed(List<RedisServer> nodes) {
    for (RedisServer node : nodes) {
      Map<String, String> info = InfoFields.of(node.port(), "CLUSTER", "INFO");
      if (!"ok".equals(info.get("cluster_state"))
          || !Integer.toString(SlotRange.SLOTS).equals(info.get("cluster_slots_ok"))
          || !Integer.toString(nodes.size()).equals(info.get("cluster_known_nodes"))) {
        return node + " has " + info;
      }
      long linked = ClusterNodes.of(node.port()).stream().filter(ClusterNodes::isReplica).count();
      if (linked < replicas.size()) {
        return node + " knows " + linked + " of " + replicas.size() + " replicas";
      }
    }
    for (RedisServer replica : replicas) {
      Map<String, String> info = InfoFields.of(replica.port(), "INFO", "replication");
      if (!"up".equals(info.get("master_link_status"))) {
        return replica + " has master_link_status " + info.get("master_link_status");
      }
    }
    return null;
  }
}
