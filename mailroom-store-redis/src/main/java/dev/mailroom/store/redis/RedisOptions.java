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
 * @param namespace every key starts with {@code {namespace}:}; the braces are a Cluster hash tag,
 *     so all of one system's keys share one slot and every script stays on one node
 * @param commandTimeout how long a command may take before the call fails as unavailable
 * @param waitReplicas how many replicas must have a write before it returns: after each write
 *     script the store runs {@code WAIT waitReplicas waitTimeout} on the same connection, shared by
 *     every write completed meanwhile, and fails the write as unavailable if fewer replicas
 *     acknowledged it in time (it may still survive). 0, the default, waits for none: a write is
 *     acknowledged as soon as the master ran it, and may be lost in a failover.
 * @param waitTimeout how long a write waits for its replicas when {@code waitReplicas > 0}
 */
public record RedisOptions(
    String uri, String namespace, Duration commandTimeout, int waitReplicas, Duration waitTimeout) {
  public static final String DEFAULT_NAMESPACE = "mailroom";
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
    return new RedisOptions(uri, namespace, commandTimeout, waitReplicas, waitTimeout);
  }

  /**
   * These options with every write waiting until {@code replicas} replicas have it, for at most
   * {@code timeout}; 0 replicas waits for none.
   */
  public RedisOptions withWaitReplicas(int replicas, Duration timeout) {
    return new RedisOptions(uri, namespace, commandTimeout, replicas, timeout);
  }

  /** The prefix of every key: the namespace as a Cluster hash tag. */
  String prefix() {
    return "{" + namespace + "}:";
  }
}
