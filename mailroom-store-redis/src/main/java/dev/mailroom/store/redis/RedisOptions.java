package dev.mailroom.store.redis;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to reach Redis and where in it Mailroom's data lives.
 *
 * @param uri a Lettuce Redis URI: {@code redis://host:port}, {@code rediss://...} for TLS, or
 *     {@code redis-sentinel://host:port,host:port#master} for Sentinel. Whether the server is a
 *     Cluster node is asked at start, so a Cluster is reached with a plain {@code redis://} URI of
 *     any of its nodes.
 * @param namespace names every key: the system's own records (agents, subscriptions, topics,
 *     policy, audit) under {@code {namespace}:}, its messages and deliveries under one hash tag per
 *     shard (see {@link KeySpace})
 * @param commandTimeout how long a command may take before the call fails as unavailable
 * @param waitReplicas how many replicas must have a write before it returns: after each write
 *     script the store runs {@code WAIT waitReplicas waitTimeout} on the same connection, shared by
 *     every write completed meanwhile, and fails the write as unavailable if fewer replicas
 *     acknowledged it in time (it may still survive). 0, the default, waits for none: a write is
 *     acknowledged as soon as the master ran it, and may be lost in a failover.
 * @param waitTimeout how long a write waits for its replicas when {@code waitReplicas > 0}
 * @param shards how many shards a new namespace's data is spread over (a power of two, 1 to 256):
 *     each shard is a hash tag of its own, so a Cluster spreads them over its masters. It is read
 *     only when a namespace is first used; from then on the namespace keeps the count it was given
 *     (see {@link KeySpace})
 * @param maxBlobBytes the most bytes the namespace's uploads and blobs may hold in Redis together,
 *     counted by their declared sizes from the moment an upload begins: an upload that would bring
 *     the total over it is refused as too large (413), saying the Redis blob store is full, until
 *     removals make room. Redis keeps every byte in memory, so this bounds what attachments may
 *     take of it, whatever each agent's quota; 1 GiB by default. Every node should be given the
 *     same value: each checks an upload against its own
 */
public record RedisOptions(
    String uri,
    String namespace,
    Duration commandTimeout,
    int waitReplicas,
    Duration waitTimeout,
    int shards,
    long maxBlobBytes) {
  public static final String DEFAULT_NAMESPACE = "mailroom";
  public static final int DEFAULT_SHARDS = 16;
  public static final long DEFAULT_MAX_BLOB_BYTES = 1L << 30;
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_WAIT_TIMEOUT = Duration.ofSeconds(1);
  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  public RedisOptions {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(commandTimeout, "commandTimeout");
    Objects.requireNonNull(waitTimeout, "waitTimeout");
    if (!NAMESPACE.matcher(namespace).matches()) {
      throw new IllegalArgumentException(
          "namespace must be 1-64 characters of A-Z a-z 0-9 _ . -: " + namespace);
    }
    if (commandTimeout.isNegative() || commandTimeout.isZero()) {
      throw new IllegalArgumentException("commandTimeout must be positive");
    }
    if (waitReplicas < 0) {
      throw new IllegalArgumentException("waitReplicas must not be negative: " + waitReplicas);
    }
    if (waitTimeout.isNegative() || waitTimeout.isZero()) {
      throw new IllegalArgumentException("waitTimeout must be positive (WAIT 0 would never end)");
    }
    if (shards < 1 || shards > KeySpace.MAX_SHARDS || Integer.bitCount(shards) != 1) {
      throw new IllegalArgumentException(
          "shards must be a power of two from 1 to " + KeySpace.MAX_SHARDS + ": " + shards);
    }
    if (maxBlobBytes < 0) {
      throw new IllegalArgumentException("maxBlobBytes must not be negative: " + maxBlobBytes);
    }
  }

  /** Options with the default limit on the bytes of uploads and blobs. */
  public RedisOptions(
      String uri,
      String namespace,
      Duration commandTimeout,
      int waitReplicas,
      Duration waitTimeout,
      int shards) {
    this(uri, namespace, commandTimeout, waitReplicas, waitTimeout, shards, DEFAULT_MAX_BLOB_BYTES);
  }

  /** Options with the default number of shards. */
  public RedisOptions(
      String uri,
      String namespace,
      Duration commandTimeout,
      int waitReplicas,
      Duration waitTimeout) {
    this(uri, namespace, commandTimeout, waitReplicas, waitTimeout, DEFAULT_SHARDS);
  }

  /** Options that wait for no replica. */
  public RedisOptions(String uri, String namespace, Duration commandTimeout) {
    this(uri, namespace, commandTimeout, 0, DEFAULT_WAIT_TIMEOUT);
  }

  /** The defaults for a URI. */
  public static RedisOptions of(String uri) {
    return new RedisOptions(uri, DEFAULT_NAMESPACE, DEFAULT_COMMAND_TIMEOUT);
  }

  public RedisOptions withNamespace(String namespace) {
    return new RedisOptions(
        uri, namespace, commandTimeout, waitReplicas, waitTimeout, shards, maxBlobBytes);
  }

  /** These options with a new namespace spread over {@code shards} shards. */
  public RedisOptions withShards(int shards) {
    return new RedisOptions(
        uri, namespace, commandTimeout, waitReplicas, waitTimeout, shards, maxBlobBytes);
  }

  /** These options with uploads and blobs holding at most {@code bytes} of Redis together. */
  public RedisOptions withMaxBlobBytes(long bytes) {
    return new RedisOptions(
        uri, namespace, commandTimeout, waitReplicas, waitTimeout, shards, bytes);
  }

  /**
   * These options with every write waiting until {@code replicas} replicas have it, for at most
   * {@code timeout}; 0 replicas waits for none.
   */
  public RedisOptions withWaitReplicas(int replicas, Duration timeout) {
    return new RedisOptions(
        uri, namespace, commandTimeout, replicas, timeout, shards, maxBlobBytes);
  }

  /** The prefix of the system's own keys: the namespace as a Cluster hash tag. */
  String prefix() {
    return "{" + namespace + "}:";
  }
}
