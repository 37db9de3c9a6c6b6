package dev.mailroom.server;

import dev.mailroom.core.Periodic;
import dev.mailroom.core.reservation.ReservationService;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes expired reservations on a fixed interval, on one daemon thread that {@link #close()}
 * stops. Reads never see an expired reservation anyway; this only keeps them from piling up.
 */
final class ReservationJanitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReservationJanitor.class);

  private final ReservationService reservations;
  private final Periodic schedule;

  private ReservationJanitor(ReservationService reservations, Duration interval) {
    this.reservations = reservations;
    this.schedule = Periodic.every("reservation-janitor", interval, this::runOnce);
  }

  static ReservationJanitor start(ReservationService reservations, Duration interval) {
    return new ReservationJanitor(reservations, interval);
  }

  void runOnce() {
    try {
      int removed = reservations.purgeExpired();
      if (removed > 0) {
        LOG.debug("removed {} expired reservations", removed);
      }
    } catch (RuntimeException e) {
      LOG.warn("expired reservation cleanup failed; will retry", e);
    }
  }

  @Override
  public void close() {
    schedule.close();
  }
}
