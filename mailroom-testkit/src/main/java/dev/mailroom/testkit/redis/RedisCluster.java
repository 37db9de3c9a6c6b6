package dev.mailroom.testkit.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A real Redis Cluster of separate {@code redis-server} processes on 127.0.0.1, each a {@link
 * RedisServer} with its own port and directory, formed without redis-cli. Tests of a cluster-aware
 * backend need the real thing: MOVED redirects, slots split over masters, failover when a master is
 * {@linkplain RedisServer#kill() killed}.
 *
 * <p>Nodes use {@code cluster-node-timeout 2000} (a killed master is replaced within a few seconds)
 * and {@code cluster-replica-validity-factor 0} (a replica always takes over, however long it lost
 * its master); {@link RedisServer.Options#extraArgs} can override either. Roles change on failover,
 * so {@link #masters()}, {@link #replicas()} and {@link #masterForSlot(int)} ask the cluster each
 * time. Thread-safe.
 */
public final class RedisCluster implements AutoCloseable {
  private static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);
  private static final List<String> CLUSTER_LINES =
      List.of(
          "cluster-enabled yes",
          "cluster-config-file nodes.conf",
          "cluster-node-timeout 2000",
          "cluster-replica-validity-factor 0");

  private final List<RedisServer> nodes;
  private volatile boolean shared;

  private RedisCluster(List<RedisServer> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  /**
   * Starts {@code masters × (1 + replicasPerMaster)} nodes with {@link
   * RedisServer.Options#defaults()} and forms a cluster of them; see {@link #start(int, int,
   * RedisServer.Options)}.
   */
  public static RedisCluster start(int masters, int replicasPerMaster) {
    return start(masters, replicasPerMaster, RedisServer.Options.defaults());
  }

  /**
   * Starts {@code masters × (1 + replicasPerMaster)} nodes configured by {@code options} and forms
   * a cluster: the 16384 slots split evenly over the masters, {@code replicasPerMaster} replicas
   * for each. Returns once every node reports {@code cluster_state:ok}, knows every node and
   * replica, and every replica's link to its master is up. Stops every node it started if any step
   * fails.
   */
  public static RedisCluster start(
      int masters, int replicasPerMaster, RedisServer.Options options) {
    if (masters < 1 || replicasPerMaster < 0) {
      throw new IllegalArgumentException(
          "need at least one master and no negative replica count, not "
              + masters
              + " and "
              + replicasPerMaster);
    }
    List<RedisServer> started = new ArrayList<>();
    try {
      List<RedisServer> masterNodes = new ArrayList<>();
      for (int i = 0; i < masters; i++) {
        masterNodes.add(launch(options, started));
      }
      List<RedisServer> replicaNodes = new ArrayList<>();
      for (int i = 0; i < masters * replicasPerMaster; i++) {
        replicaNodes.add(launch(options, started));
      }
      ClusterFormation.form(masterNodes, replicaNodes, replicasPerMaster, FORM_TIMEOUT);
      return new RedisCluster(started);
    } catch (RuntimeException e) {
      for (RedisServer node : started) {
        node.shutdown();
      }
      throw e;
    }
  }

  private static RedisServer launch(RedisServer.Options options, List<RedisServer> started) {
    RedisServer node = RedisServer.launch(options, CLUSTER_LINES);
    started.add(node);
    return node;
  }

  /** {@code redis://127.0.0.1:<port>} of every node, in start order (masters first). */
  public List<String> uris() {
    return nodes.stream().map(RedisServer::uri).toList();
  }

  /** One seed URI for a cluster client: a node that is running now. */
  public String uri() {
    return liveNodes().get(0).uri();
  }

  /** Every node, in start order (the initial masters first), running or not. */
  public List<RedisServer> nodes() {
    return nodes;
  }

  /** The nodes that serve slots now, in slot order: after a failover, the promoted replicas. */
  public List<RedisServer> masters() {
    Set<RedisServer> owners = new LinkedHashSet<>();
    for (SlotRange range : slots()) {
      owners.add(byPort(range.masterPort()));
    }
    return List.copyOf(owners);
  }

  /** Every node that serves no slots now, running or not, in start order. */
  public List<RedisServer> replicas() {
    List<RedisServer> owners = masters();
    return nodes.stream().filter(n -> !owners.contains(n)).toList();
  }

  /** The node that serves {@code slot} now, according to {@code CLUSTER SLOTS}. */
  public RedisServer masterForSlot(int slot) {
    if (slot < 0 || slot >= SlotRange.SLOTS) {
      throw new IllegalArgumentException("no slot " + slot);
    }
    for (SlotRange range : slots()) {
      if (range.contains(slot)) {
        return byPort(range.masterPort());
      }
    }
    throw new IllegalStateException("no node serves slot " + slot);
  }

  /**
   * Deletes every key on every master (FLUSHALL), and so on their replicas: how tests sharing the
   * {@link SharedRedis} cluster start clean.
   */
  public void flushAll() {
    for (RedisServer master : masters()) {
      master.flushAll();
    }
  }

  /**
   * Waits until the cluster is fit for use again, e.g. after a master was killed (failover) or a
   * node restarted: every running node reports {@code cluster_state:ok} with all 16384 slots
   * served, every slot is served by a running node, the running nodes agree on who serves which
   * slots, and every running replica's link to its master is up.
   *
   * @throws IllegalStateException naming what is still wrong when {@code timeout} passes
   */
  public void awaitHealthy(Duration timeout) {
    Poll.until("the cluster to be healthy", timeout, this::unhealthy);
  }

  /** Stops every node and deletes their directories. Does nothing on {@link SharedRedis}'s. */
  @Override
  public void close() {
    if (!shared) {
      for (RedisServer node : nodes) {
        node.shutdown();
      }
    }
  }

  /** Makes {@link #close()} a no-op here and on every node. */
  void share() {
    shared = true;
    nodes.forEach(RedisServer::share);
  }

  @Override
  public String toString() {
    return "RedisCluster" + nodes;
  }

  private @Nullable String unhealthy() {
    List<RedisServer> live = liveNodes();
    @Nullable List<SlotRange> agreed = null;
    for (RedisServer node : live) {
      Map<String, String> info = InfoFields.of(node.port(), "CLUSTER", "INFO");
      if (!"ok".equals(info.get("cluster_state"))
          || !Integer.toString(SlotRange.SLOTS).equals(info.get("cluster_slots_ok"))) {
        return node + " has " + info;
      }
      List<SlotRange> view = SlotRange.of(node.port());
      if (agreed == null) {
        agreed = view;
      } else if (!agreed.equals(view)) {
        return node + " sees slots " + view + " but " + live.get(0) + " sees " + agreed;
      }
      Map<String, String> replication = InfoFields.of(node.port(), "INFO", "replication");
      if ("slave".equals(replication.get("role"))
          && !"up".equals(replication.get("master_link_status"))) {
        return node + " has master_link_status " + replication.get("master_link_status");
      }
    }
    for (SlotRange range : agreed == null ? List.<SlotRange>of() : agreed) {
      if (!byPort(range.masterPort()).isRunning()) {
        return "slots " + range.first() + "-" + range.last() + " are on a node that is down";
      }
    }
    return null;
  }

  private List<SlotRange> slots() {
    @Nullable RuntimeException last = null;
    for (RedisServer node : liveNodes()) {
      try {
        return SlotRange.of(node.port());
      } catch (RuntimeException e) {
        last = e;
      }
    }
    throw new IllegalStateException("no running node answered CLUSTER SLOTS", last);
  }

  private List<RedisServer> liveNodes() {
    List<RedisServer> live = nodes.stream().filter(RedisServer::isRunning).toList();
    if (live.isEmpty()) {
      throw new IllegalStateException("no node of " + this + " is running");
    }
    return live;
  }

  private RedisServer byPort(int port) {
    return nodes.stream()
        .filter(n -> n.port() == port)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("port " + port + " is no node of " + this));
  }
}
