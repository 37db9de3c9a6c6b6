package dev.mailroom.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential back-off with jitter for reconnecting: the {@code n}th consecutive failure waits
 * {@code min(max, initial × multiplier^(n-1))}, less a random part of up to {@code jitter} of it,
 * so the wait never exceeds {@code max} and clients that lost the same server do not all return at
 * once.
 *
 * @param initial the wait after the first failure
 * @param max the longest wait
 * @param multiplier how much each failure multiplies the wait (at least 1)
 * @param jitter the share of the wait that is random, in [0, 1]
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter) {
  /** 200 ms, doubling, up to 30 s, half of it random. */
  public static final Backoff DEFAULT =
      new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30), 2.0, 0.5);

  public Backoff {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max");
    }
    if (!(multiplier >= 1.0) || !(jitter >= 0.0 && jitter <= 1.0)) {
      throw new IllegalArgumentException("need multiplier >= 1 and 0 <= jitter <= 1");
    }
  }

  /** From {@code initial} to {@code max}, doubling, half of each wait random. */
  public static Backoff of(Duration initial, Duration max) {
    return new Backoff(initial, max, 2.0, 0.5);
  }

  /**
   * The wait after the {@code attempt}th consecutive failure (1 for the first).
   *
   * @param unit a random number in [0, 1): 0 waits the full amount
   */
  public Duration delay(int attempt, double unit) {
    double full = initial.toNanos() * Math.pow(multiplier, Math.max(0, attempt - 1));
    double capped = Math.min(full, max.toNanos());
    return Duration.ofNanos((long) (capped * (1.0 - jitter * unit)));
  }
}
