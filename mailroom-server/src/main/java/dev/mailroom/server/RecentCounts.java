package dev.mailroom.server;

import java.util.OptionalDouble;
import java.util.function.LongSupplier;

/**
 * What this node did in the last minute, counted in six buckets of ten seconds: the error-rate
 * alert signal and the rates of {@code GET /v1/stats} read it. A bucket older than a minute is
 * reused, so the window moves in steps of ten seconds and covers between 50 and 60 seconds.
 */
final class RecentCounts {
  /** What is counted. */
  enum Kind {
    REQUESTS,
    SERVER_ERRORS,
    SENDS,
    DELIVERIES,
    ACKS,
    /** First pushes of deliveries (not redeliveries), whose latency is summed below. */
    FIRST_PUSHES,
    /** The sum of the first pushes' latencies from send to push, in microseconds. */
    FIRST_PUSH_MICROS
  }

  private static final int BUCKETS = 6;
  static final long BUCKET_NANOS = 10_000_000_000L;

  private final LongSupplier nanoTime;
  // Guarded by this.
  private final long[][] counts = new long[BUCKETS][Kind.values().length];
  private final long[] bucketOf = new long[BUCKETS];

  /**
   * @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime})
   */
  RecentCounts(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    long now = Math.floorDiv(nanoTime.getAsLong(), BUCKET_NANOS);
    for (int i = 0; i < BUCKETS; i++) {
      bucketOf[i] = now - BUCKETS; // every bucket starts empty and stale
    }
  }

  void add(Kind kind, long n) {
    long bucket = Math.floorDiv(nanoTime.getAsLong(), BUCKET_NANOS);
    int i = (int) Math.floorMod(bucket, BUCKETS);
    synchronized (this) {
      if (bucketOf[i] != bucket) {
        bucketOf[i] = bucket;
        java.util.Arrays.fill(counts[i], 0);
      }
      counts[i][kind.ordinal()] += n;
    }
  }

  /** How many of {@code kind} were counted in the last minute. */
  long lastMinute(Kind kind) {
    long bucket = Math.floorDiv(nanoTime.getAsLong(), BUCKET_NANOS);
    long sum = 0;
    synchronized (this) {
      for (int i = 0; i < BUCKETS; i++) {
        if (bucket - bucketOf[i] < BUCKETS) {
          sum += counts[i][kind.ordinal()];
        }
      }
    }
    return sum;
  }

  /** Per second over the last minute. */
  double perSecond(Kind kind) {
    return lastMinute(kind) / 60.0;
  }

  /**
   * The mean latency from send to first push over the last minute, in milliseconds; empty when
   * nothing was pushed.
   */
  OptionalDouble deliveryLatencyMillis() {
    long pushes;
    long micros;
    synchronized (this) {
      pushes = lastMinute(Kind.FIRST_PUSHES);
      micros = lastMinute(Kind.FIRST_PUSH_MICROS);
    }
    return pushes == 0 ? OptionalDouble.empty() : OptionalDouble.of(micros / 1000.0 / pushes);
  }

  /** The share of the last minute's requests answered with a 5xx (0 when there were none). */
  double errorRate() {
    long requests;
    long errors;
    synchronized (this) {
      requests = lastMinute(Kind.REQUESTS);
      errors = lastMinute(Kind.SERVER_ERRORS);
    }
    return requests == 0 ? 0 : (double) errors / requests;
  }
}
