package dev.mailroom.testkit.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A real Sentinel setup on 127.0.0.1: one master, one replica and three sentinels (quorum 2), each
 * a {@link RedisServer} of its own. For backends that connect through Sentinel and must survive the
 * master dying: {@linkplain RedisServer#kill() kill} {@link #master()} and the sentinels promote
 * the replica within a few seconds ({@code down-after-milliseconds 1000}). Which node is master is
 * asked of the sentinels each time. Thread-safe.
 */
public final class RedisSentinel implements AutoCloseable {
  private static final String MASTER_NAME = "mailroom";
  private static final int SENTINELS = 3;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final List<RedisServer> dataNodes;
  private final List<RedisServer> sentinels;

  private RedisSentinel(List<RedisServer> dataNodes, List<RedisServer> sentinels) {
    this.dataNodes = List.copyOf(dataNodes);
    this.sentinels = List.copyOf(sentinels);
  }

  /** {@link #start(RedisServer.Options)} with {@link RedisServer.Options#defaults()}. */
  public static RedisSentinel start() {
    return start(RedisServer.Options.defaults());
  }

  /**
   * Starts a master and a replica configured by {@code options} and three sentinels monitoring
   * them. Returns once the replica's link is up and every sentinel knows the replica and the other
   * two sentinels. Stops every process it started if any step fails.
   */
  public static RedisSentinel start(RedisServer.Options options) {
    List<RedisServer> started = new ArrayList<>();
    try {
      RedisServer master = RedisServer.launch(options, List.of());
      started.add(master);
      RedisServer replica =
          RedisServer.launch(options, List.of("replicaof 127.0.0.1 " + master.port()));
      started.add(replica);
      List<RedisServer> sentinels = new ArrayList<>();
      for (int i = 0; i < SENTINELS; i++) {
        RedisServer sentinel = RedisServer.launchSentinel(options, sentinelLines(master.port()));
        started.add(sentinel);
        sentinels.add(sentinel);
      }
      RedisSentinel setup = new RedisSentinel(List.of(master, replica), sentinels);
      Poll.until("the sentinels to be ready", START_TIMEOUT, setup::notReady);
      return setup;
    } catch (RuntimeException e) {
      for (RedisServer server : started) {
        server.shutdown();
      }
      throw e;
    }
  }

  private static List<String> sentinelLines(int masterPort) {
    return List.of(
        "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + masterPort + " 2",
        "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
        "sentinel failover-timeout " + MASTER_NAME + " 5000",
        "sentinel parallel-syncs " + MASTER_NAME + " 1");
  }

  /** The name the sentinels monitor the master under. */
  public String masterName() {
    return MASTER_NAME;
  }

  /** {@code redis://127.0.0.1:<port>} of each sentinel. */
  public List<String> sentinelUris() {
    return sentinels.stream().map(RedisServer::uri).toList();
  }

  /**
   * All sentinels and the master name as one Lettuce URI: {@code
   * redis-sentinel://127.0.0.1:<p1>,127.0.0.1:<p2>,127.0.0.1:<p3>#mailroom}.
   */
  public String uri() {
    return "redis-sentinel://"
        + sentinels.stream().map(s -> "127.0.0.1:" + s.port()).collect(Collectors.joining(","))
        + "#"
        + MASTER_NAME;
  }

  /** The three sentinel processes. */
  public List<RedisServer> sentinels() {
    return sentinels;
  }

  /** The master as the first running sentinel names it now. */
  public RedisServer master() {
    for (RedisServer sentinel : sentinels) {
      if (sentinel.isRunning()) {
        return dataNode(masterPortSeenBy(sentinel));
      }
    }
    throw new IllegalStateException("no sentinel is running");
  }

  /** The data node that is not {@link #master()}. */
  public RedisServer replica() {
    RedisServer master = master();
    return dataNodes.stream().filter(n -> n != master).findFirst().orElseThrow();
  }

  /**
   * Waits until the setup is fit for use again, e.g. after the master was killed: every running
   * sentinel names the same running master, that node says it is master, and the other data node,
   * if running, replicates it with its link up. A killed master that is {@linkplain
   * RedisServer#restart() restarted} comes back as a master; the sentinels turn it into a replica
   * only some 10 s later, and until then this waits.
   *
   * @throws IllegalStateException naming what is still wrong when {@code timeout} passes
   */
  public void awaitHealthy(Duration timeout) {
    Poll.until("the sentinel setup to be healthy", timeout, this::unhealthy);
  }

  /** Stops every process and deletes their directories. Idempotent. */
  @Override
  public void close() {
    for (RedisServer server : sentinels) {
      server.shutdown();
    }
    for (RedisServer server : dataNodes) {
      server.shutdown();
    }
  }

  @Override
  public String toString() {
    return "RedisSentinel[data " + dataNodes + ", sentinels " + sentinels + "]";
  }

  private @Nullable String notReady() {
    String unhealthy = unhealthy();
    if (unhealthy != null) {
      return unhealthy;
    }
    for (RedisServer sentinel : sentinels) {
      try (Resp resp = Resp.connect(sentinel.port())) {
        List<?> replicas = (List<?>) resp.call("SENTINEL", "REPLICAS", MASTER_NAME);
        List<?> others = (List<?>) resp.call("SENTINEL", "SENTINELS", MASTER_NAME);
        if (replicas == null || replicas.size() != 1 || others == null || others.size() != 2) {
          return sentinel + " knows " + replicas + " replicas and " + others + " sentinels";
        }
        Map<String, String> replica = fields((List<?>) replicas.get(0));
        if (!"slave".equals(replica.get("flags"))) {
          return sentinel + " flags the replica " + replica.get("flags");
        }
      }
    }
    return null;
  }

  private @Nullable String unhealthy() {
    @Nullable Integer agreed = null;
    for (RedisServer sentinel : sentinels) {
      if (!sentinel.isRunning()) {
        continue;
      }
      int port = masterPortSeenBy(sentinel);
      if (agreed == null) {
        agreed = port;
      } else if (agreed != port) {
        return sentinel + " names master port " + port + ", another sentinel " + agreed;
      }
    }
    if (agreed == null) {
      return "no sentinel is running";
    }
    RedisServer master = dataNode(agreed);
    if (!master.isRunning()) {
      return "the sentinels name " + master + ", which is down";
    }
    Map<String, String> info = InfoFields.of(master.port(), "INFO", "replication");
    if (!"master".equals(info.get("role"))) {
      return master + " has role " + info.get("role");
    }
    for (RedisServer node : dataNodes) {
      if (node == master || !node.isRunning()) {
        continue;
      }
      Map<String, String> replica = InfoFields.of(node.port(), "INFO", "replication");
      if (!Integer.toString(master.port()).equals(replica.get("master_port"))
          || !"up".equals(replica.get("master_link_status"))) {
        return node
            + " replicates port "
            + replica.get("master_port")
            + " with link "
            + replica.get("master_link_status");
      }
    }
    return null;
  }

  private static int masterPortSeenBy(RedisServer sentinel) {
    Object reply = Resp.once(sentinel.port(), "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
    if (!(reply instanceof List<?> address) || address.size() != 2) {
      throw new IllegalStateException(sentinel + " names no master: " + reply);
    }
    return Integer.parseInt((String) address.get(1));
  }

  private RedisServer dataNode(int port) {
    return dataNodes.stream()
        .filter(n -> n.port() == port)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("port " + port + " is no node of " + this));
  }

  /** A flat {@code [name, value, name, value...]} reply as a map. */
  private static Map<String, String> fields(List<?> flat) {
    Map<String, String> fields = new HashMap<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      fields.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
    }
    return fields;
  }
}
