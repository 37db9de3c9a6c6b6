package dev.mailroom.server;

import dev.mailroom.core.delivery.DeliveryTotals;
import dev.mailroom.core.spi.DeliveryStore;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * The store's delivery totals for the gauges, read at most every {@link #MAX_AGE_NANOS}: a scrape
 * every few seconds by several Prometheus servers costs one count query per ten seconds, and a
 * count that scans (see {@link DeliveryStore#totals()}) stays cheap. A read that fails (the store
 * is down) gives NaN, which Prometheus shows as a gap.
 */
final class StoreTotals {
  static final long MAX_AGE_NANOS = 10_000_000_000L;

  private final DeliveryStore deliveries;
  private final LongSupplier nanoTime;
  // Guarded by this.
  private @Nullable DeliveryTotals last;
  private long readAt;

  StoreTotals(DeliveryStore deliveries, LongSupplier nanoTime) {
    this.deliveries = deliveries;
    this.nanoTime = nanoTime;
  }

  /** One of the totals, as a gauge reads it. */
  double read(ToLongFunction<DeliveryTotals> which) {
    DeliveryTotals t = totals();
    return t == null ? Double.NaN : which.applyAsLong(t);
  }

  private synchronized @Nullable DeliveryTotals totals() {
    long now = nanoTime.getAsLong();
    if (last == null || now - readAt >= MAX_AGE_NANOS) {
      try {
        last = deliveries.totals();
        readAt = now;
      } catch (RuntimeException e) {
        return null; // the store is down: no value, tried again at the next scrape
      }
    }
    return last;
  }
}
