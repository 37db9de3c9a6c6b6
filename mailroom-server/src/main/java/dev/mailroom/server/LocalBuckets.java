package dev.mailroom.server;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Buckets in this node's memory, for at most {@code maxKeys} keys: beyond that the least recently
 * used bucket is forgotten, which only gives its key a full bucket again. Thread-safe.
 */
final class LocalBuckets implements Buckets {
  private final Bandwidth limit;
  private final TimeMeter time;
  private final LruMap<String, Bucket> buckets;

  LocalBuckets(Bandwidth limit, InstantSource clock, int maxKeys) {
    this.limit = limit;
    this.time = Buckets.time(clock);
    this.buckets = new LruMap<>(maxKeys);
  }

  @Override
  public Optional<Duration> take(String key) {
    return Buckets.waitAfter(
        buckets.computeIfAbsent(key, k -> newBucket()).tryConsumeAndReturnRemaining(1));
  }

  /**
   * How long until the bucket of {@code key} holds a token again, if it is empty now; takes nothing
   * and makes no bucket.
   */
  Optional<Duration> emptyFor(String key) {
    return buckets
        .get(key)
        .map(b -> b.estimateAbilityToConsume(1))
        .filter(e -> !e.canBeConsumed())
        .map(EstimationProbe::getNanosToWaitForRefill)
        .map(Buckets::retryAfter);
  }

  /** How many keys have a bucket. */
  int size() {
    return buckets.size();
  }

  private Bucket newBucket() {
    return Bucket.builder().addLimit(limit).withCustomTimePrecision(time).build();
  }

  @Override
  public void close() {
    // nothing to release: the buckets are plain objects
  }
}
