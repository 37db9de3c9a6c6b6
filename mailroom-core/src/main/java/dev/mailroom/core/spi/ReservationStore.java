package dev.mailroom.core.spi;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.reservation.ProjectName;
import dev.mailroom.core.reservation.Reservation;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reservations of paths in projects. A reservation expired at the {@code now} a read is given is
 * invisible to that read at once, whether or not {@link #purgeExpired} has removed it yet.
 * Implementations are thread-safe, and {@link #reserve} is atomic across every node sharing the
 * backend: of two conflicting requests, however close, exactly one is granted. Every method may
 * throw {@link dev.mailroom.core.MailroomException.Unavailable} when the backend is down.
 */
public interface ReservationStore {

  /** What {@link #reserve} did. */
  sealed interface Outcome {
    /** It was stored. */
    record Granted(Reservation reservation) implements Outcome {}

    /** Nothing was stored: these live reservations conflict with it (at least one). */
    record Refused(List<Reservation> conflicts) implements Outcome {
      public Refused {
        conflicts = List.copyOf(conflicts);
      }
    }
  }

  /**
   * Stores {@code wanted} unless a reservation live at {@code now} {@linkplain
   * Reservation#conflictsWith conflicts} with it, in one atomic step.
   *
   * @param wanted a reservation with a fresh id, not yet expired at {@code now}
   */
  Outcome reserve(Reservation wanted, Instant now);

  /** The reservation with this id, unless there is none or it has expired at {@code now}. */
  Optional<Reservation> find(String id, Instant now);

  /**
   * Moves a live reservation's expiry to {@code newExpiry} (later or earlier, but after {@code
   * now}). Nothing can conflict: while it was live no overlapping reservation was granted.
   *
   * @return the renewed reservation; empty if there is none or it has expired at {@code now}
   */
  Optional<Reservation> renew(String id, Instant newExpiry, Instant now);

  /**
   * Deletes a reservation: releasing it.
   *
   * @return whether a live one was there
   */
  boolean release(String id, Instant now);

  /**
   * The reservations live at {@code now}, by id, after {@code after} if given, at most {@code
   * limit}, of one project and one holder when given.
   */
  List<Reservation> list(
      Optional<ProjectName> project,
      Optional<AgentId> holder,
      Optional<String> after,
      int limit,
      Instant now);

  /** Every reservation of a project live at {@code now}, in no particular order. */
  List<Reservation> live(ProjectName project, Instant now);

  /**
   * Removes the reservations expired at {@code now}: what a periodic pass calls, so that expired
   * rows do not pile up (reads never see them anyway).
   *
   * @return how many it removed; a backend may count only those it saw
   */
  int purgeExpired(Instant now);
}
