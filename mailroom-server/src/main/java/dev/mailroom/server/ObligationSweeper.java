package dev.mailroom.server;

import dev.mailroom.core.Periodic;
import dev.mailroom.core.receipt.ObligationService;
import dev.mailroom.core.spi.ObligationStore;
import java.time.Duration;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@link #INTERVAL}, sends the overdue notices of obligations past their deadline (at most
 * {@link #MAX_PER_TICK} a tick, the rest on the next), and on the cleanup interval removes the
 * obligations and receipt marks of expired messages; on daemon threads that {@link #close()} stops.
 * Every node runs one: the notices' idempotency keys and the store's first-one-wins record of each
 * notice make it one notice per obligation however many nodes sweep at once.
 */
final class ObligationSweeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ObligationSweeper.class);

  /** How often deadlines are checked: a notice goes out at most about this long after one. */
  static final Duration INTERVAL = Duration.ofSeconds(1);

  /** The most notices one tick sends. */
  static final int MAX_PER_TICK = 100;

  /** The most obligations and marks one cleanup removes of each. */
  static final int MAX_PURGED = 10_000;

  private final ObligationService obligations;
  private final ObligationStore store;
  private final InstantSource clock;
  private final Duration noticeTtl;
  private final Periodic sweeps;
  private final Periodic purges;

  private ObligationSweeper(
      ObligationService obligations,
      ObligationStore store,
      InstantSource clock,
      Duration noticeTtl,
      Duration cleanupInterval) {
    this.obligations = obligations;
    this.store = store;
    this.clock = clock;
    this.noticeTtl = noticeTtl;
    this.sweeps = Periodic.every("obligation-sweeper", INTERVAL, this::sweepOnce);
    this.purges = Periodic.every("obligation-cleaner", cleanupInterval, this::purgeOnce);
  }

  static ObligationSweeper start(
      ObligationService obligations,
      ObligationStore store,
      InstantSource clock,
      Duration noticeTtl,
      Duration cleanupInterval) {
    return new ObligationSweeper(obligations, store, clock, noticeTtl, cleanupInterval);
  }

  void sweepOnce() {
    try {
      int sent = obligations.sweep(AdminBootstrap.ADMIN, noticeTtl, MAX_PER_TICK);
      if (sent > 0) {
        LOG.debug("sent {} overdue obligation notices", sent);
      }
    } catch (RuntimeException e) {
      LOG.warn("sending overdue obligation notices failed; will retry", e);
    }
  }

  void purgeOnce() {
    try {
      int removed = store.purgeExpired(clock.instant(), MAX_PURGED);
      if (removed > 0) {
        LOG.debug("removed {} obligations and receipt marks of expired messages", removed);
      }
    } catch (RuntimeException e) {
      LOG.warn("obligation cleanup failed; will retry", e);
    }
  }

  @Override
  public void close() {
    sweeps.close();
    purges.close();
  }
}
