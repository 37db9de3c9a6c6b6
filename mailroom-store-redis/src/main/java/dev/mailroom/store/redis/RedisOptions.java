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
 */
public record RedisOptions(String uri, String namespace, Duration commandTimeout) {
  public static final String DEFAULT_NAMESPACE = "mailroom";
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(5);
  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  public RedisOptions {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(commandTimeout, "commandTimeout");
    if (!NAMESPACE.matcher(namespace).matches()) {
      throw new IllegalArgumentException(
          "namespace must be 1-64 characters of A-Z a-z 0-9 _ . -: " + namespace);
    }
    if (commandTimeout.isNegative() || commandTimeout.isZero()) {
      throw new IllegalArgumentException("commandTimeout must be positive");
    }
  }

  /** The defaults for a URI. */
  public static RedisOptions of(String uri) {
    return new RedisOptions(uri, DEFAULT_NAMESPACE, DEFAULT_COMMAND_TIMEOUT);
  }

  public RedisOptions withNamespace(String namespace) {
    return new RedisOptions(uri, namespace, commandTimeout);
  }

  /** The prefix of every key: the namespace as a Cluster hash tag. */
  String prefix() {
    return "{" + namespace + "}:";
  }
}
