package dev.mailroom.server;

import dev.mailroom.core.MailroomException;
import dev.mailroom.store.redis.RedisOptions;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce.LettuceBasedProxyManagerBuilder;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Buckets in Redis, shared by every node on one namespace, through Bucket4j's Lettuce integration
 * on a connection of their own. Keys are {@code {namespace:ratelimit:<name>:<key>}:<limit>}, where
 * {@code <limit>} is capacity, refill and period ({@code 20-10-1000ms}): each bucket is a hash tag
 * of its own, so in a Cluster the buckets spread over the masters as the store's shards do; and a
 * changed limit starts with fresh buckets instead of reading buckets of another shape. A key
 * expires once its bucket would be full again, so idle agents cost nothing.
 *
 * <p>Standalone, Sentinel ({@code redis-sentinel://}) and Cluster URIs all work: the connection
 * asks the server whether it is a Cluster node, as the store does. Bucket4j updates a bucket by
 * compare-and-swap (a {@code GET}, then a script that writes only if the value is unchanged,
 * retried on a conflict), so each limited request costs two round trips. Thread-safe.
 */
final class RedisBuckets implements Buckets {
  /** How long after a bucket is full again its key is kept. */
  private static final Duration KEEP_FULL = Duration.ofSeconds(10);

  private final AbstractRedisClient client;
  private final ProxyManager<byte[]> buckets;
  private final BucketConfiguration configuration;
  private final String prefix;
  private final String suffix;

  private RedisBuckets(
      AbstractRedisClient client,
      ProxyManager<byte[]> buckets,
      Bandwidth limit,
      String prefix,
      String suffix) {
    this.client = client;
    this.buckets = buckets;
    this.configuration = BucketConfiguration.builder().addLimit(limit).build();
    this.prefix = prefix;
    this.suffix = suffix;
  }

  /**
   * Connects to Redis.
   *
   * @param name the kind of bucket, part of every key
   * @throws MailroomException.Unavailable if Redis cannot be reached
   */
  static RedisBuckets connect(
      RedisOptions options, String name, Bandwidth limit, InstantSource clock) {
    String prefix = "{%s:ratelimit:%s:".formatted(options.namespace(), name);
    String suffix =
        "}:%d-%d-%dms"
            .formatted(
                limit.getCapacity(),
                limit.getRefillTokens(),
                Duration.ofNanos(limit.getRefillPeriodNanos()).toMillis());
    RedisURI uri = RedisURI.create(options.uri());
    uri.setTimeout(options.commandTimeout());
    TimeoutOptions timeouts = TimeoutOptions.enabled(options.commandTimeout());
    RedisClient probe = RedisClient.create(uri);
    probe.setOptions(ClientOptions.builder().timeoutOptions(timeouts).build());
    try {
      StatefulRedisConnection<byte[], byte[]> plain = probe.connect(ByteArrayCodec.INSTANCE);
      if (!plain.sync().info("cluster").contains("cluster_enabled:1")) {
        var builder = Bucket4jLettuce.casBasedBuilder(plain);
        return new RedisBuckets(probe, proxies(builder, options, clock), limit, prefix, suffix);
      }
    } catch (RedisException e) {
      probe.shutdown(Duration.ZERO, Duration.ofSeconds(1));
      throw unavailable(e);
    }
    probe.shutdown(Duration.ZERO, Duration.ofSeconds(1)); // a Cluster node: reconnect as one
    RedisClusterClient cluster = RedisClusterClient.create(uri);
    cluster.setOptions(
        ClusterClientOptions.builder()
            .timeoutOptions(timeouts)
            .topologyRefreshOptions(
                ClusterTopologyRefreshOptions.builder().enableAllAdaptiveRefreshTriggers().build())
            .build());
    try {
      var builder = Bucket4jLettuce.casBasedBuilder(cluster.connect(ByteArrayCodec.INSTANCE));
      return new RedisBuckets(cluster, proxies(builder, options, clock), limit, prefix, suffix);
    } catch (RedisException e) {
      cluster.shutdown(Duration.ZERO, Duration.ofSeconds(1));
      throw unavailable(e);
    }
  }

  private static ProxyManager<byte[]> proxies(
      LettuceBasedProxyManagerBuilder<byte[]> builder, RedisOptions options, InstantSource clock) {
    return builder
        .clientClock(Buckets.time(clock))
        .requestTimeout(options.commandTimeout())
        .expirationAfterWrite(
            ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_FULL))
        .build();
  }

  @Override
  public Optional<Duration> take(String key) {
    byte[] id = (prefix + key + suffix).getBytes(StandardCharsets.UTF_8);
    ConsumptionProbe probe;
    try {
      probe = buckets.builder().build(id, configuration).tryConsumeAndReturnRemaining(1);
    } catch (RuntimeException e) {
      throw unavailable(e);
    }
    return Buckets.waitAfter(probe);
  }

  private static MailroomException.Unavailable unavailable(RuntimeException e) {
    return new MailroomException.Unavailable("the rate limits in Redis cannot be read", e);
  }

  @Override
  public void close() {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
  }
}
