package dev.mailroom.store.redis;

import dev.mailroom.core.MailroomException;
import dev.mailroom.core.spi.StoreObserver;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
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
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's one connection to Redis, standalone or Cluster alike: keys built from the namespace,
 * scripts run by digest, and every Lettuce failure turned into {@link
 * MailroomException.Unavailable}. A single multiplexed connection is what Lettuce recommends; in a
 * Cluster, Lettuce routes each command to the master of its key's slot. Every script declares one
 * key, in the slot of the shard it works on (see {@link KeySpace}), and touches no other slot.
 *
 * <p>With {@link RedisOptions#waitReplicas()} above 0, every script's result is held back until a
 * {@code WAIT} on the connection that ran it confirms the replicas have it ({@link ReplicaWait}).
 * In a Cluster a script is then sent straight to the connection Lettuce keeps for its slot's master
 * (the one {@code getConnection(host, port)} returns, which also carries Lettuce's routed commands
 * for that slot), so that the script and its {@code WAIT} are sure to share a session.
 *
 * <p>Thread-safe.
 */
final class RedisLink implements AutoCloseable {
  /** The shard argument of a script that works on the system's own keys. */
  static final int CONTROL = -1;

  /**
   * Commands held while a connection is (re)established, e.g. during a Cluster failover; beyond
   * this they fail at once. Each also fails after the command timeout.
   */
  static final int REQUEST_QUEUE = 65_536;

  /** How long the circuit breaker stays open before it lets a probe through. */
  static final Duration BREAKER_OPEN = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);

  private final AbstractRedisClient client;
  private final StatefulConnection<byte[], byte[]> connection;
  private final RedisClusterCommands<byte[], byte[]> sync;
  private final RedisClusterAsyncCommands<byte[], byte[]> async;
  private final boolean cluster;
  private final KeySpace keys;
  private final byte[] control;

  /** Whether the server understands {@code #!lua} (Redis 7.0 and later): see {@link Script}. */
  private final boolean strict;

  private final InstantSource clock;
  private final String nodeText = java.util.UUID.randomUUID().toString();
  private final int waitReplicas;
  private final Duration waitTimeout;
  private volatile Runnable unconfirmed = () -> {};
  private volatile Runnable recovered = () -> {};
  private final AtomicLong lastRefresh = new AtomicLong(System.nanoTime());

  /**
   * Opened by failures to reach Redis, so that once Redis is known to be down a command fails at
   * once instead of after the command timeout; it lets a few commands through after {@link
   * #BREAKER_OPEN} to find out whether Redis is back (see {@link #breaker()}).
   */
  private final CircuitBreaker breaker = breaker();

  private volatile StoreObserver observer = StoreObserver.NONE;

  /** Standalone and Sentinel with {@code waitReplicas > 0}: the one connection's waits. */
  private final ReplicaWait waits;

  /**
   * Cluster with {@code waitReplicas > 0}: each master's connection and its waits, by host:port.
   */
  private final Map<String, Master> masters = new ConcurrentHashMap<>();

  /** A master's connection as Lettuce's slot routing uses it, and the waits on it. */
  private record Master(StatefulRedisConnection<byte[], byte[]> connection, ReplicaWait waits) {}

  private RedisLink(
      AbstractRedisClient client,
      StatefulConnection<byte[], byte[]> connection,
      RedisClusterCommands<byte[], byte[]> sync,
      RedisClusterAsyncCommands<byte[], byte[]> async,
      boolean cluster,
      RedisOptions options,
      InstantSource clock) {
    this.client = client;
    this.connection = connection;
    this.sync = sync;
    this.async = async;
    this.cluster = cluster;
    this.keys = layout(sync, options);
    this.strict = majorVersion(sync) >= 7;
    this.control = Codec.utf8(keys.control());
    this.clock = clock;
    this.waitReplicas = options.waitReplicas();
    this.waitTimeout = options.waitTimeout();
    this.waits =
        waitReplicas > 0 && !cluster
            ? new ReplicaWait(async, waitReplicas, waitTimeout, this::unconfirmed)
            : null;
    if (waitReplicas > 0) {
      client.addListener(
          new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> c, SocketAddress address) {
              sessionChanged(c);
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> c) {
              sessionChanged(c);
            }
          });
    }
  }

  /**
   * The namespace's key space: the number of shards it was created with, recorded in its {@code
   * layout} hash. A namespace that has data but no layout was made before shards existed and keeps
   * one shard, its keys where they were; a new one gets {@code options.shards()}. The first node to
   * record the count wins; every other node reads it.
   */
  private static KeySpace layout(RedisClusterCommands<byte[], byte[]> sync, RedisOptions options) {
    String control = options.prefix();
    byte[] layout = Codec.utf8(control + "layout");
    byte[] field = Codec.utf8("shards");
    try {
      byte[] stored = sync.hget(layout, field);
      if (stored == null) {
        boolean legacy =
            sync.exists(Codec.utf8(control + "idgen"), Codec.utf8(control + "agents")) > 0;
        int shards = legacy ? 1 : options.shards();
        sync.hsetnx(layout, field, Codec.utf8(Integer.toString(shards)));
        stored = sync.hget(layout, field);
      }
      return new KeySpace(options.namespace(), Integer.parseInt(Codec.text(stored)));
    } catch (RedisException e) {
      throw new MailroomException.Unavailable("cannot read the namespace's layout from Redis", e);
    }
  }

  /** The server's major version, from {@code INFO server}; 0 if it does not say. */
  private static int majorVersion(RedisClusterCommands<byte[], byte[]> sync) {
    try {
      for (String line : sync.info("server").split("\r?\n")) {
        if (line.startsWith("redis_version:")) {
          String v = line.substring("redis_version:".length()).strip();
          int dot = v.indexOf('.');
          return Integer.parseInt(dot < 0 ? v : v.substring(0, dot));
        }
      }
      return 0;
    } catch (RedisException | NumberFormatException e) {
      return 0;
    }
  }

  /** Where the namespace's keys live. */
  KeySpace keys() {
    return keys;
  }

  /**
   * What to do when writes could not be confirmed on their replicas: their callers fail and the
   * delivery listener is not told, though they were made and may survive.
   */
  /**
   * Runs {@code action} whenever Redis answers again after the circuit breaker found it
   * unreachable: events published meanwhile may have been lost on a connection that never broke.
   */
  void onRecovered(Runnable action) {
    recovered = action;
  }

  void onUnconfirmed(Runnable action) {
    this.unconfirmed = action;
  }

  private void unconfirmed() {
    unconfirmed.run();
  }

  /** Tells the waits of the connection that dropped or came back, if it is one that writes. */
  private void sessionChanged(RedisChannelHandler<?, ?> c) {
    if (waits != null && c == connection) {
      waits.sessionChanged();
    }
    for (Master m : masters.values()) {
      if (m.connection() == c) {
        m.waits().sessionChanged();
      }
    }
  }

  /**
   * The Lettuce timeouts: every command gets the command timeout, and {@code WAIT} its own wait on
   * top, so that Lettuce never gives up on a {@code WAIT} before Redis answers it.
   */
  private static TimeoutOptions timeouts(RedisOptions options) {
    if (options.waitReplicas() == 0) {
      return TimeoutOptions.enabled(options.commandTimeout());
    }
    long command = options.commandTimeout().toMillis();
    long wait = command + options.waitTimeout().toMillis();
    return TimeoutOptions.builder()
        .timeoutSource(
            new TimeoutOptions.TimeoutSource() {
              @Override
              public long getTimeout(RedisCommand<?, ?, ?> c) {
                return c.getType() == CommandType.WAIT ? wait : command;
              }

              @Override
              public TimeUnit getTimeUnit() {
                return TimeUnit.MILLISECONDS;
              }
            })
        .build();
  }

  /**
   * Connects, asking the server whether it is a Cluster node; a Cluster is then reached through a
   * Cluster client that follows its topology (and failovers) by itself.
   */
  static RedisLink connect(RedisOptions options, InstantSource clock) {
    RedisURI uri = RedisURI.create(options.uri());
    uri.setTimeout(options.commandTimeout());
    TimeoutOptions timeouts = timeouts(options);
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
      return new RedisLink(probe, plain, plain.sync(), plain.async(), false, options, clock);
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
      return new RedisLink(client, c, c.sync(), c.async(), true, options, clock);
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
    return nodeText;
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

  /** A key of the system's own records. */
  byte[] key(String name) {
    return Codec.utf8(keys.control() + name);
  }

  /** A key of shard {@code shard}. */
  byte[] key(int shard, String name) {
    return Codec.utf8(keys.key(shard, name));
  }

  /**
   * The key {@code name} of every shard, in shard order: what a read of the whole system merges.
   */
  List<byte[]> inEveryShard(String name) {
    List<byte[]> out = new ArrayList<>(keys.shards());
    for (int k = 0; k < keys.shards(); k++) {
      out.add(key(k, name));
    }
    return out;
  }

  RedisClusterCommands<byte[], byte[]> sync() {
    return sync;
  }

  /**
   * Sends one read command per element without waiting in between, so they share one round trip,
   * then waits for every answer, in order.
   */
  <E, T> List<T> pipelined(
      List<E> elements,
      BiFunction<RedisClusterAsyncCommands<byte[], byte[]>, E, RedisFuture<T>> read) {
    long start = admit();
    List<RedisFuture<T>> futures = new ArrayList<>(elements.size());
    try {
      for (E e : elements) {
        futures.add(read.apply(async, e));
      }
      List<T> answers = new ArrayList<>(futures.size());
      for (RedisFuture<T> f : futures) {
        answers.add(await(f));
      }
      answered(start, null);
      return answers;
    } catch (RedisException e) {
      RuntimeException mapped = unavailable(e);
      answered(start, mapped);
      throw mapped;
    } catch (RuntimeException e) {
      answered(start, e);
      throw e;
    }
  }

  /** Runs a read or a single command, mapping failures. */
  <T> T call(Supplier<T> command) {
    long start = admit();
    try {
      T answer = command.get();
      answered(start, null);
      return answer;
    } catch (RedisException e) {
      RuntimeException mapped = unavailable(e);
      answered(start, mapped);
      throw mapped;
    } catch (RuntimeException | Error e) {
      // Every command let through must be told back: a half-open breaker waits for its probes.
      answered(start, e);
      throw e;
    }
  }

  /**
   * Runs one write command on {@code key} outside any script (a blob's chunk, in a slot of its own)
   * and waits for it; with {@link RedisOptions#waitReplicas()} above 0, also until the replicas of
   * the key's master have it, as a script's writes are confirmed (in a Cluster the command is then
   * sent on the connection kept for that master, where its {@code WAIT} goes too).
   */
  <T> T write(
      byte[] key, Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<T>> command) {
    long start = admit();
    try {
      CompletableFuture<T> run;
      if (waitReplicas == 0) {
        run = command.apply(async).toCompletableFuture();
      } else if (!cluster) {
        long session = waits.session();
        run = waits.confirm(command.apply(async), session);
      } else {
        Master master = master(SlotHash.getSlot(key));
        long session = master.waits().session();
        RedisFuture<T> sent = command.apply(master.connection().async());
        sent.whenComplete(
            (r, e) -> {
              if (e != null && isMoved(e)) {
                refreshTopology();
              }
            });
        run = master.waits().confirm(sent, session);
      }
      T answer = await(run);
      answered(start, null);
      return answer;
    } catch (RuntimeException e) {
      RuntimeException mapped = e instanceof RedisException ? unavailable(e) : e;
      answered(start, mapped);
      throw mapped;
    }
  }

  /**
   * The circuit breaker around every command: it opens when half of the last 20 (at least 5) failed
   * to reach Redis, fails every command at once while open, and after {@link #BREAKER_OPEN} lets
   * two through, closing again when they succeed. A command Redis refused (an {@code ERR}) reached
   * it, and counts as a success. Its state changes are logged, once each way.
   */
  private CircuitBreaker breaker() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "redis",
            CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(20)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(50)
                .waitDurationInOpenState(BREAKER_OPEN)
                .permittedNumberOfCallsInHalfOpenState(2)
                // Probes that never report back must not keep it half open for ever.
                .maxWaitDurationInHalfOpenState(Duration.ofSeconds(5))
                .build());
    b.getEventPublisher()
        .onStateTransition(
            e -> {
              CircuitBreaker.State to = e.getStateTransition().getToState();
              CircuitBreaker.State from = e.getStateTransition().getFromState();
              if (to == CircuitBreaker.State.OPEN && from == CircuitBreaker.State.CLOSED) {
                LOG.warn(
                    "Redis is unreachable: failing commands at once, probing every {} ms",
                    BREAKER_OPEN.toMillis());
              } else if (to == CircuitBreaker.State.CLOSED) {
                LOG.info("Redis answers again");
                recovered.run();
              }
            });
    return b;
  }

  /** The circuit breaker's state: {@code closed}, {@code open} or {@code half_open}. */
  String breakerState() {
    return breaker.getState().name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Lets a command through the circuit breaker, or fails it at once: when the breaker is open, and
   * (outside a Cluster) when the connection is down.
   *
   * @return when it started, for {@link #answered}
   */
  private long admit() {
    if (!breaker.tryAcquirePermission()) {
      throw new MailroomException.Unavailable(
          "Redis is unavailable (it failed to answer; probing again every "
              + BREAKER_OPEN.toMillis()
              + " ms)",
          null);
    }
    long start = System.nanoTime();
    if (!cluster && !connection.isOpen()) {
      MailroomException.Unavailable down =
          new MailroomException.Unavailable("Redis is unavailable: not connected", null);
      answered(start, down);
      throw down;
    }
    return start;
  }

  /** Sets who is told how long each command took (see {@link #answered}). */
  void observe(StoreObserver observer) {
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  /**
   * Tells the circuit breaker, and the observer, how a command it let through ended ({@code
   * failure} null: well).
   */
  private void answered(long start, @Nullable Throwable failure) {
    long took = System.nanoTime() - start;
    observer.timed("command", took, failure != null);
    if (failure == null || !(unwrap(failure) instanceof MailroomException.Unavailable)) {
      breaker.onSuccess(took, TimeUnit.NANOSECONDS);
    } else {
      breaker.onError(took, TimeUnit.NANOSECONDS, failure);
      if (cluster) {
        // A master may have failed over: while the breaker holds commands back, Lettuce sees too
        // few failures to read the topology again by itself, so the probes would keep going to
        // the dead master. Read it again (at most every quarter of a second).
        refreshTopology();
      }
    }
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t instanceof MailroomException ? t : (isNoScript(t) ? t : unavailable(t));
  }

  /**
   * Runs a script that answers {@code ok}, or the reason it refused.
   *
   * @throws MailroomException.Conflict with that reason
   */
  void runOrConflict(Script script, Object... args) {
    String outcome = Codec.text(this.<byte[]>run(script, ScriptOutputType.VALUE, args));
    if (!outcome.equals("ok")) {
      throw new MailroomException.Conflict(outcome);
    }
  }

  /** Runs a script on the system's own keys and waits for its result. */
  <T> T run(Script script, ScriptOutputType type, Object... args) {
    return run(0, CONTROL, script, type, args);
  }

  /** Runs a script on the system's own keys whose event carries {@code token}. */
  <T> T run(long token, Script script, ScriptOutputType type, Object... args) {
    return run(token, CONTROL, script, type, args);
  }

  /** Runs a script on shard {@code shard}'s keys and waits for its result. */
  <T> T runIn(int shard, Script script, ScriptOutputType type, Object... args) {
    return run(0, shard, script, type, args);
  }

  /**
   * Runs a script on the keys of {@code shard} ({@link #CONTROL} for the system's own) whose event
   * carries {@code token} (see {@link OwnWrites}; 0 for none) and waits for its result, sending the
   * script's body if the server lacks it.
   */
  <T> T run(long token, int shard, Script script, ScriptOutputType type, Object... args) {
    try {
      return await(start(token, shard, script, false, type, args));
    } catch (RuntimeException e) {
      if (isNoScript(e)) {
        return await(start(token, shard, script, true, type, args));
      }
      throw e;
    }
  }

  /** Starts a script, sending its body if the server lacks it; the future fails as unavailable. */
  <T> CompletableFuture<T> startIn(
      long token, int shard, Script script, ScriptOutputType type, Object... args) {
    CompletableFuture<T> first = start(token, shard, script, false, type, args);
    return first
        .handle(
            (r, e) -> {
              if (e == null) {
                return CompletableFuture.completedFuture(r);
              }
              if (isNoScript(e)) {
                return this.<T>start(token, shard, script, true, type, args);
              }
              return CompletableFuture.<T>failedFuture(e);
            })
        .thenCompose(f -> f);
  }

  /**
   * Starts a script without waiting, by digest, or with its whole body when {@code full} (after the
   * server said it lacks the script: a restart, a failover, a new node). The script's first four
   * arguments are the prefix of the keys it works on, the clock's now, {@code <node id>:<token>},
   * which its event carries, and the prefix of the system's own keys (of the events channel);
   * {@code args} follow (strings, byte arrays, numbers or booleans). Its one declared key is in the
   * shard's slot, so a Cluster runs it on that slot's master. With {@code waitReplicas > 0} the
   * future completes once the replicas have the script's writes too.
   */
  private <T> CompletableFuture<T> start(
      long token, int shard, Script script, boolean full, ScriptOutputType type, Object... args) {
    long start = admit();
    CompletableFuture<T> run;
    try {
      run = launch(token, shard, script, full, type, args);
    } catch (RuntimeException e) {
      answered(start, e);
      throw e;
    }
    return run.whenComplete((r, e) -> answered(start, e));
  }

  private <T> CompletableFuture<T> launch(
      long token, int shard, Script script, boolean full, ScriptOutputType type, Object... args) {
    String prefix = shard == CONTROL ? this.keys.control() : this.keys.prefix(shard);
    byte[][] values = new byte[args.length + 4][];
    values[0] = Codec.utf8(prefix);
    values[1] = Codec.utf8(Long.toString(clock.millis()));
    values[2] = Codec.utf8(nodeText + ":" + token);
    values[3] = control;
    for (int i = 0; i < args.length; i++) {
      values[i + 4] = arg(args[i]);
    }
    byte[][] keys = {Codec.utf8(prefix + "idgen")};
    try {
      if (waitReplicas == 0) {
        return this.<T>eval(async, script, full, type, keys, values).toCompletableFuture();
      }
      if (!cluster) {
        long session = waits.session();
        return waits.confirm(this.<T>eval(async, script, full, type, keys, values), session);
      }
      Master master = master(shard == CONTROL ? this.keys.controlSlot() : this.keys.slot(shard));
      long session = master.waits().session();
      RedisFuture<T> run =
          this.<T>eval(master.connection().async(), script, full, type, keys, values);
      run.whenComplete(
          (r, e) -> {
            if (e != null && isMoved(e)) {
              refreshTopology();
            }
          });
      return master.waits().confirm(run, session);
    } catch (RedisException e) {
      throw unavailable(e);
    }
  }

  private <T> RedisFuture<T> eval(
      RedisClusterAsyncCommands<byte[], byte[]> commands,
      Script script,
      boolean full,
      ScriptOutputType type,
      byte[][] keys,
      byte[][] values) {
    Script.Form form = script.form(strict);
    return full
        ? commands.eval(form.body(), type, keys, values)
        : commands.evalsha(form.sha(), type, keys, values);
  }

  /**
   * Has the Cluster client read the topology again, at most every quarter of a second: a script
   * sent straight to a node that answers MOVED (a master that came back as a replica after a
   * failover) is not redirected, nor seen by Lettuce's adaptive refresh. The write fails as
   * unavailable; the next ones go to the new master once the topology is read.
   */
  private void refreshTopology() {
    long now = System.nanoTime();
    long last = lastRefresh.get();
    if (now - last < TimeUnit.MILLISECONDS.toNanos(250) || !lastRefresh.compareAndSet(last, now)) {
      return;
    }
    ((RedisClusterClient) client).refreshPartitionsAsync();
  }

  /** Whether a failure is a Cluster redirection: the node no longer serves the slot. */
  static boolean isMoved(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RedisException
          && t.getMessage() != null
          && (t.getMessage().startsWith("MOVED ") || t.getMessage().startsWith("ASK "))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The connection to the master of the namespace's slot as Lettuce sees the Cluster now: the
   * connection Lettuce's own slot routing uses (keyed by host and port; a connection by node id
   * would be another one).
   */
  private Master master(int slot) {
    RedisClusterNode m =
        ((StatefulRedisClusterConnection<byte[], byte[]>) connection)
            .getPartitions()
            .getMasterBySlot(slot);
    if (m == null) {
      throw new MailroomException.Unavailable("no Redis Cluster master serves slot " + slot, null);
    }
    String host = m.getUri().getHost();
    int port = m.getUri().getPort();
    return masters.computeIfAbsent(
        host + ":" + port,
        k -> {
          StatefulRedisConnection<byte[], byte[]> c =
              ((StatefulRedisClusterConnection<byte[], byte[]>) connection)
                  .getConnection(host, port);
          return new Master(
              c, new ReplicaWait(c.async(), waitReplicas, waitTimeout, this::unconfirmed));
        });
  }

  /** Waits for a command started asynchronously, mapping its failure. */
  <T> T await(Future<T> future) {
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
