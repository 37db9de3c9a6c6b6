package dev.mailroom.core.delivery;

import java.time.Duration;
import java.util.Objects;

/**
 * How the server pushes over streams and retries what is not acknowledged.
 *
 * <p>A delivery pushed for the {@code n}th time and not acknowledged is pushed again after {@code
 * min(retryMax, retryBase * retryFactor^(n-1))}, scaled by a random factor in [1 - jitter, 1 +
 * jitter]; after {@code maxAttempts} pushes it goes to the dead-letter queue.
 *
 * @param heartbeat how often every stream gets a heartbeat event (so proxies and clients see it
 *     alive)
 * @param maxInFlight how many pushed deliveries may await acknowledgement on one stream; beyond it
 *     the stream pauses (its queue waits in the store) until acknowledgements arrive
 * @param writeTimeout how long a push may wait for a slow client before the stream is closed
 */
public record DeliverySettings(
    Duration retryBase,
    double retryFactor,
    Duration retryMax,
    double jitter,
    int maxAttempts,
    Duration heartbeat,
    int maxInFlight,
    Duration writeTimeout) {

  public static final DeliverySettings DEFAULTS =
      new DeliverySettings(
          Duration.ofSeconds(1),
          2.0,
          Duration.ofSeconds(60),
          0.2,
          3,
          Duration.ofSeconds(15),
          1000,
          Duration.ofSeconds(30));

  public DeliverySettings {
    Objects.requireNonNull(retryBase, "retryBase");
    Objects.requireNonNull(retryMax, "retryMax");
    Objects.requireNonNull(heartbeat, "heartbeat");
    Objects.requireNonNull(writeTimeout, "writeTimeout");
    if (retryBase.isNegative() || retryBase.isZero() || retryMax.compareTo(retryBase) < 0) {
      throw new IllegalArgumentException("need 0 < retry base <= retry max");
    }
    if (retryFactor < 1.0 || jitter < 0.0 || jitter >= 1.0) {
      throw new IllegalArgumentException("need retry factor >= 1 and 0 <= jitter < 1");
    }
    if (maxAttempts < 1 || maxInFlight < 1) {
      throw new IllegalArgumentException("max attempts and max in flight must be positive");
    }
    if (heartbeat.isNegative()
        || heartbeat.isZero()
        || writeTimeout.isNegative()
        || writeTimeout.isZero()) {
      throw new IllegalArgumentException("heartbeat and write timeout must be positive");
    }
  }

  /** These settings with another retry schedule. */
  public DeliverySettings withRetry(Duration base, double factor, double jitter) {
    return new DeliverySettings(
        base,
        factor,
        retryMax.compareTo(base) < 0 ? base : retryMax,
        jitter,
        maxAttempts,
        heartbeat,
        maxInFlight,
        writeTimeout);
  }

  /** The wait after the {@code attempt}th push before the next, without jitter. */
  public Duration backoff(int attempt) {
    double millis = retryBase.toMillis() * Math.pow(retryFactor, Math.max(0, attempt - 1));
    return Duration.ofMillis((long) Math.min(millis, retryMax.toMillis()));
  }

  /**
   * {@link #backoff} scaled by a factor in [1 - jitter, 1 + jitter] from {@code unit} in [0, 1).
   */
  public Duration backoff(int attempt, double unit) {
    double scale = 1.0 - jitter + 2.0 * jitter * unit;
    return Duration.ofMillis(Math.max(1, (long) (backoff(attempt).toMillis() * scale)));
  }
}
