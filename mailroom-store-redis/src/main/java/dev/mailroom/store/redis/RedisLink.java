package dev.mailroom.store.redis;

import dev.mailroom.core.MailroomException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * The store's one connection to Redis, standalone or Cluster alike: keys built from the namespace,
 * scripts run by digest, and every Lettuce failure turned into {@link
 * MailroomException.Unavailable}. A single multiplexed connection is what Lettuce recommends; every
 * key of one namespace is in one slot, so in a Cluster it is one node's connection.
 *
 * <p>Thread-safe.
 */
final class RedisLink implements AutoCloseable {
  /**
   * Commands held while a connection is (re)established, e.g. during a Cluster failover; beyond
   * this they fail at once. Each also fails after the command timeout.
   */
  static final int REQUEST_QUEUE = 65_536;

  private final AbstractRedisClient client;
  private final StatefulConnection<byte[], byte[]> connection;
  private final RedisClusterCommands<byte[], byte[]> sync;
  private final RedisClusterAsyncCommands<byte[], byte[]> async;
  private final boolean cluster;
  private final String prefix;
  private final byte[] anchor;
  private final byte[] prefixArg;
  private final InstantSource clock;
  private final byte[] node = Codec.utf8(java.util.UUID.randomUUID().toString());

  private RedisLink(
      AbstractRedisClient client,
      StatefulConnection<byte[], byte[]> connection,
      RedisClusterCommands<byte[], byte[]> sync,
      RedisClusterAsyncCommands<byte[], byte[]> async,
      boolean cluster,
      String prefix,
      InstantSource clock) {
    this.client = client;
    this.connection = connection;
    this.sync = sync;
    this.async = async;
    this.cluster = cluster;
    this.prefix = prefix;
    this.anchor = Codec.utf8(prefix + "idgen");
    this.prefixArg = Codec.utf8(prefix);
    this.clock = clock;
  }

  /**
   * Connects, asking the server whether it is a Cluster node; a Cluster is then reached through a
   * Cluster client that follows its topology (and failovers) by itself.
   */
  static RedisLink connect(RedisOptions options, InstantSource clock) {
    RedisURI uri = RedisURI.create(options.uri());
    uri.setTimeout(options.commandTimeout());
    TimeoutOptions timeouts = TimeoutOptions.enabled(options.commandTimeout());
    RedisClient probe = RedisClient.create(uri);
    probe.setOptions(
        ClientOptions.builder()
            .timeoutOptions(timeouts)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
            .requestQueueSize(REQUEST_QUEUE)
            .build());
    StatefulRedisConnection<byte[], byte[]> plain;
    try {
      plain = probe.connect(ByteArrayCodec.INSTANCE);
    } catch (RedisException e) {
      probe.shutdown(Duration.ZERO, Duration.ofSeconds(1));
      throw new MailroomException.Unavailable("cannot connect to Redis at " + redacted(uri), e);
    }
    boolean cluster;
    try {
      cluster = Codec.text(plain.sync().info("cluster").getBytes()).contains("cluster_enabled:1");
    } catch (RedisException e) {
      cluster = false;
    }
    if (!cluster) {
      return new RedisLink(
          probe, plain, plain.sync(), plain.async(), false, options.prefix(), clock);
    }
    plain.close();
    probe.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    RedisClusterClient client = RedisClusterClient.create(uri);
    client.setOptions(
        ClusterClientOptions.builder()
            .timeoutOptions(timeouts)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
            .requestQueueSize(REQUEST_QUEUE)
            .topologyRefreshOptions(
                ClusterTopologyRefreshOptions.builder()
                    .enableAllAdaptiveRefreshTriggers()
                    .enablePeriodicRefresh(Duration.ofSeconds(10))
                    .build())
            .build());
    try {
      StatefulRedisClusterConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE);
      return new RedisLink(client, c, c.sync(), c.async(), true, options.prefix(), clock);
    } catch (RedisException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
      throw new MailroomException.Unavailable(
          "cannot connect to Redis Cluster " + redacted(uri), e);
    }
  }

  private static String redacted(RedisURI uri) {
    return uri.getHost() + ":" + uri.getPort();
  }

  /** This node's id: random, new for every connection, carried by the events it causes. */
  String node() {
    return Codec.text(node);
  }

  /** A second connection, for the events channel (pub/sub needs a connection of its own). */
  StatefulRedisPubSubConnection<byte[], byte[]> connectPubSub() {
    try {
      return client instanceof RedisClusterClient c
          ? c.connectPubSub(ByteArrayCodec.INSTANCE)
          : ((RedisClient) client).connectPubSub(ByteArrayCodec.INSTANCE);
    } catch (RedisException e) {
      throw unavailable(e);
    }
  }

  /** Told when any connection of this store drops or comes back. */
  void addConnectionListener(RedisConnectionStateListener listener) {
    client.addListener(listener);
  }

  boolean isCluster() {
    return cluster;
  }

  boolean isOpen() {
    return connection.isOpen();
  }

  /** A key of this namespace. */
  byte[] key(String name) {
    return Codec.utf8(prefix + name);
  }

  RedisClusterCommands<byte[], byte[]> sync() {
    return sync;
  }

  /** Runs a read or a single command, mapping failures. */
  <T> T call(Supplier<T> command) {
    try {
      return command.get();
    } catch (RedisException e) {
      throw unavailable(e);
    }
  }

  /** Runs a script and waits for its result. */
  <T> T run(Script script, ScriptOutputType type, Object... args) {
    try {
      return await(start(script, false, type, args));
    } catch (RuntimeException e) {
      if (isNoScript(e)) {
        return await(start(script, true, type, args));
      }
      throw e;
    }
  }

  /**
   * Starts a script without waiting, by digest, or with its whole body when {@code full} (after the
   * server said it lacks the script: a restart, a failover, a new node). The script's first three
   * arguments are the key prefix, the clock's now and this node's id; {@code args} follow (strings,
   * byte arrays, numbers or booleans).
   */
  <T> RedisFuture<T> start(Script script, boolean full, ScriptOutputType type, Object... args) {
    byte[][] values = new byte[args.length + 3][];
    values[0] = prefixArg;
    values[1] = Codec.utf8(Long.toString(clock.millis()));
    values[2] = node;
    for (int i = 0; i < args.length; i++) {
      values[i + 3] = arg(args[i]);
    }
    byte[][] keys = {anchor};
    try {
      return full
          ? async.eval(script.body(), type, keys, values)
          : async.evalsha(script.sha(), type, keys, values);
    } catch (RedisException e) {
      throw unavailable(e);
    }
  }

  /** Waits for a command started asynchronously, mapping its failure. */
  <T> T await(RedisFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MailroomException.Unavailable("interrupted while waiting for Redis", e);
    } catch (ExecutionException | CompletionException e) {
      throw unavailable(e.getCause());
    }
  }

  /** Whether a failure says the server does not have the script cached. */
  static boolean isNoScript(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RedisNoScriptException) {
        return true;
      }
    }
    return false;
  }

  private static byte[] arg(Object a) {
    return switch (a) {
      case byte[] b -> b;
      case String s -> Codec.utf8(s);
      case Number n -> Codec.utf8(n.toString());
      case Boolean b -> Codec.utf8(b ? "1" : "0");
      default -> throw new IllegalArgumentException("not a script argument: " + a.getClass());
    };
  }

  static RuntimeException unavailable(Throwable e) {
    if (e instanceof MailroomException m) {
      return m;
    }
    if (e instanceof RedisException
        && e.getMessage() != null
        && e.getMessage().startsWith("ERR")
        && !(e instanceof RedisNoScriptException)) {
      return new IllegalStateException("Redis refused a Mailroom command: " + e.getMessage(), e);
    }
    return new MailroomException.Unavailable("Redis is unavailable: " + e.getMessage(), e);
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
