package dev.mailroom.server;

import dev.mailroom.core.Periodic;
import dev.mailroom.core.spi.AuditStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes audit records older than the retention, every interval, on one daemon thread that {@link
 * #close()} stops. Each run removes at most {@value #MAX_BATCHES_PER_RUN} batches of {@value
 * #BATCH} records, so it never holds the store's writer for long; what is left goes next run.
 */
final class AuditRetention implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditRetention.class);
  static final int BATCH = 5_000;
  static final int MAX_BATCHES_PER_RUN = 100;

  private final AuditStore store;
  private final Duration retention;
  private final InstantSource clock;
  private final Periodic schedule;

  private AuditRetention(
      AuditStore store, Duration retention, InstantSource clock, Duration interval) {
    this.store = store;
    this.retention = retention;
    this.clock = clock;
    this.schedule = Periodic.every("mailroom-audit-retention", interval, this::runOnce);
  }

  /** Starts removing records older than {@code retention} every {@code interval}. */
  static AuditRetention start(
      AuditStore store, Duration retention, InstantSource clock, Duration interval) {
    return new AuditRetention(store, retention, clock, interval);
  }

  /** Removes what is due, up to the bound of one run; returns how many records went. */
  long runOnce() {
    Instant cutoff = clock.instant().minus(retention);
    long removed = 0;
    try {
      for (int i = 0; i < MAX_BATCHES_PER_RUN; i++) {
        int n = store.purgeBefore(cutoff, BATCH);
        removed += n;
        if (n < BATCH) {
          break;
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("audit retention failed; retrying next interval", e);
    }
    if (removed > 0) {
      LOG.debug("audit retention removed {} records dated before {}", removed, cutoff);
    }
    return removed;
  }

  @Override
  public void close() {
    schedule.close();
  }
}
