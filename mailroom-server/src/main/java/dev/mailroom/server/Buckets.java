package dev.mailroom.server;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Token buckets of one configuration, one per key (an agent id, a client address), each starting
 * full: Bucket4j buckets in this node's memory ({@link LocalBuckets}) or in Redis, shared by every
 * node of the system ({@link RedisBuckets}). Thread-safe.
 */
sealed interface Buckets extends AutoCloseable permits LocalBuckets, RedisBuckets {

  /**
   * Takes one token from the bucket of {@code key}.
   *
   * @return empty when a token was taken; otherwise how long until the bucket holds one again
   * @throws dev.mailroom.core.MailroomException.Unavailable if the buckets are in Redis and it does
   *     not answer
   */
  Optional<Duration> take(String key);

  @Override
  void close();

  /**
   * Buckets of {@code capacity} tokens that refill at {@code tokens} per {@code period}, a token at
   * a time (greedily), up to the capacity.
   */
  static Bandwidth refilling(long capacity, long tokens, Duration period) {
    return Bandwidth.builder().capacity(capacity).refillGreedy(tokens, period).build();
  }

  /** Bucket4j's time, read from the server's clock so that tests can move it. */
  static TimeMeter time(InstantSource clock) {
    return new TimeMeter() {
      @Override
      public long currentTimeNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
      }

      @Override
      public boolean isWallClockBased() {
        return true; // every node's buckets in Redis are read against its own wall clock
      }
    };
  }

  /** Empty when the probe's token was taken, else the wait until one is there. */
  static Optional<Duration> waitAfter(ConsumptionProbe probe) {
    return probe.isConsumed()
        ? Optional.empty()
        : Optional.of(retryAfter(probe.getNanosToWaitForRefill()));
  }

  /** A wait for the {@code Retry-After} header: whole seconds, rounded up, at least one. */
  static Duration retryAfter(long nanos) {
    return Duration.ofSeconds(Math.max(1, Math.ceilDiv(nanos, 1_000_000_000L)));
  }
}
